export { DEFAULT_CATALOG_TTL_MS, TerritoryCatalog, type TerritoryCatalogOptions } from './catalog.js';
export { PATH_SEPARATOR, TerritoryIndex, type TerritoryLine, type TerritoryTreeNode } from './hierarchy.js';
export {
  describeTerritory,
  MAX_OPTION_LABEL,
  MAX_SELECT_OPTIONS,
  MAX_TERRITORIES_PER_ENTRY,
  resolveTerritories,
  resolveTerritory,
  searchTerritories,
  splitTerritoryList,
  type TerritoriesResolution,
  type TerritoryCandidate,
  type TerritoryMatch,
  type TerritoryOption,
  type TerritoryResolution,
  type TerritoryResolutionFailure,
} from './resolve.js';
export {
  MAX_SUGGEST_QUERY_CHARS,
  SUGGESTION_CANDIDATES,
  SUGGESTIONS_PER_LIST,
  SuggestionBudget,
} from './suggest.js';
export { clipEnd, clipStart, editDistance, foldedKey, nameKey } from './text.js';
