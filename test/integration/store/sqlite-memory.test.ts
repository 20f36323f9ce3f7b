import { ManualClock } from '../../../src/core/clock.js';
import { openStore } from '../../../src/core/store/index.js';
import { CLOCK_NOW, defineStoreSuite } from './store-suite.js';

defineStoreSuite('sqlite::memory:', () => ({
  fresh: () => openStore('sqlite::memory:', { clock: new ManualClock(CLOCK_NOW) }),
}));
