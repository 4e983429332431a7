/** A request about a task that cannot be done as asked; `status` is the HTTP status the API answers with. */
export class TaskError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
