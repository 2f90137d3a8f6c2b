// The one error type the studio UI sees, from either transport: the server's `detail` and the
// field at fault, so the form can show it where it belongs.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly field?: string,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}
