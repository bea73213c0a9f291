/** Expected failures of `kpaas secrets` (bad --rotate name, unreadable folder): one line, exit 1. */
export class SecretsError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SecretsError';
  }
}
