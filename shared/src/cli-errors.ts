/**
 * An error whose message is meant for the person at the terminal: the CLIs print it as
 * one line and exit non-zero, without a stack trace.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Runs a CLI's main function: a UserError (or a known startup failure) becomes one line. */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      if (error instanceof UserError) {
        process.stderr.write(`错误 Error: ${error.message}\n`);
      } else {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`错误 Error: ${message.split('\n')[0]}\n`);
        if (process.env.XUNCHA_DEBUG) console.error(error);
      }
      process.exit(1);
    },
  );
}
