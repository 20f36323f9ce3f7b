/** Why a configuration file could not be read, in words an operator can act on. */
export function whyUnreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return code === 'ENOENT'
    ? 'the file does not exist'
    : code === 'EACCES'
      ? 'the file is not readable by this process'
      : code === 'EISDIR'
        ? 'this is a directory, not a file'
        : `it cannot be read (${code})`;
}
