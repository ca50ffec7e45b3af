#!/usr/bin/env node
/**
 * Entry point of the `analyze` command. Maps every error to one line on stderr and an exit
 * status, in one place: 0 ok, 1 findings at --fail-on (later) or yargs usage, 2 bad input.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { AppError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { analyzeOptions, runAnalyze } from './analyze-command.js';
import { renderRules } from './rules-command.js';
import { reportOptions, runReport } from './report-command.js';
import { runShow, showOptions } from './show-command.js';
import { intelOptions } from './intel-command.js';
import { learnOptions, runLearn } from './learn-command.js';

/** `--pcap -` as `--pcap=-`: yargs drops a lone `-` given to an array option (stdin). */
function stdinAsValue(argv: string[]): string[] {
  return argv.flatMap((a, i) => (a === '-' && argv[i - 1] === '--pcap' ? [] : a === '--pcap' && argv[i + 1] === '-' ? ['--pcap=-'] : [a]));
}

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  await yargs(stdinAsValue(argv))
    .scriptName('analyze')
    .usage('$0 --pcap FILE [options]\n\nFinds the connections on port 443 that are not what they pretend to be.')
    .command(['$0', 'analyze'], 'analyse a capture: TLS handshakes, JA3/JA3S/JA4 fingerprints, certificates', analyzeOptions, async (args) => {
      exitCode = await runAnalyze(args);
    })
    .command('report', 'review the sessions stored in the database: flagged ones, most severe first', reportOptions, (args) => {
      exitCode = runReport(args);
    })
    .command('rules', 'list every classifier rule: id, default severity, description', (y) => y, () => {
      process.stdout.write(renderRules());
    })
    .command('show <session>', 'one stored session: handshake, certificates, findings', showOptions, (args) => {
      exitCode = runShow(args);
    })
    .command('learn', 'record a capture of normal traffic as the site baseline (fingerprints, servers, certificates)', learnOptions, async (args) => {
      exitCode = await runLearn(args);
    })
    .command('intel', 'import indicator lists into the database (intel import FILE...), list them (intel list), download the abuse.ch feeds (intel update)', intelOptions, () => {})
    .example('$0 --pcap capture.pcap', 'summary of every session on port 443, stored in ./analyze.db')
    .example('$0 learn --pcap clean.pcap', 'record normal traffic; later runs with the same --db flag new fingerprints, servers, certificates')
    .example('$0 report --severity high', 'flagged sessions of every stored run, high and critical')
    .example('$0 report --format html -o report.html', 'the same review as one self-contained page')
    .example('$0 --pcap capture.pcapng --format jsonl > sessions.jsonl', 'one JSON record per session')
    .example('tcpdump -i eth0 -w - | $0 --pcap -', 'read a capture from stdin')
    .example('$0 --pcap capture.pcap --policy site.yaml --fail-on high', 'exit 1 when a finding is high or critical')
    .strict()
    .version(TOOL_VERSION)
    .help()
    .wrap(Math.min(100, process.stdout.columns || 80))
    .fail((msg, err) => {
      if (err) throw err;
      throw new AppError(msg, 'USAGE', 2);
    })
    .parseAsync();
  return exitCode;
}

// `analyze ... | head`: the reader went away; that is not an error of ours.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof AppError) {
      process.stderr.write(`analyze: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      // A bug, not bad input: still one line, with how to get the details.
      const e = err as Error;
      process.stderr.write(`analyze: internal error: ${e?.message ?? String(err)} (set ANALYZE_DEBUG=1 for the stack)\n`);
      if (process.env.ANALYZE_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
      process.exitCode = 70;
    }
  },
);
