/**
 * Errors at the edges of the tool (CLI input, files). Decoders never throw these: inside the
 * pipeline problems are values (statuses and anomalies). Each class carries a stable `code`
 * and the exit status the CLI maps it to, in one place (cli/main.ts).
 */
export class AppError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The user asked for something that cannot be read or is not a capture: exit 2. */
export class InputError extends AppError {
  constructor(message: string, code = 'INPUT') {
    super(message, code, 2);
  }
}

/** The command line contradicts itself: exit 2 (yargs uses 1 for its own usage errors). */
export class UsageError extends AppError {
  constructor(message: string) {
    super(message, 'USAGE', 2);
  }
}

/** A database that is not ours, is damaged, or cannot be written: exit 2, one line. */
export class StorageError extends AppError {
  constructor(message: string, code = 'STORAGE') {
    super(message, code, 2);
  }
}
