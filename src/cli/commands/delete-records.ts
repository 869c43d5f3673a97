import type { Command } from 'commander';
import { readUserFile } from '../../util/read-file.js';
import { kafkaExceptionText } from '../../tools/common/kafka-exceptions.js';
import { deleteRecords } from '../../tools/delete-records/delete-records.js';
import { parseOffsetJson } from '../../tools/delete-records/offset-json.js';
import { KtsError, UsageError } from '../../util/errors.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';

interface Flags {
  bootstrapServer?: string;
  commandConfig?: string;
  offsetJsonFile?: string;
  output: OutputFormat;
}

const EXAMPLES = `
Examples:
  echo '{"partitions":[{"topic":"orders","partition":0,"offset":100}],"version":1}' > offsets.json
  kts delete-records --bootstrap-server localhost:9092 --offset-json-file offsets.json
  (offset -1 deletes up to the high watermark)`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd.option('--offset-json-file <file>', 'REQUIRED: {"partitions":[{"topic":"foo","partition":1,"offset":1}],"version":1}');
  addOutputOption(cmd);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  if (flags.offsetJsonFile === undefined) throw new UsageError('Missing required argument "[offset-json-file]"');
  const wanted = parseOffsetJson(readUserFile(flags.offsetJsonFile, 'offset JSON file'));
  const properties = clientProperties(flags.commandConfig);
  const json = flags.output === 'json';
  if (!json) process.stdout.write('Executing records delete operation\n');
  const outcomes = await deleteRecords({ bootstrapServer: flags.bootstrapServer, properties }, wanted);
  if (json) {
    printJson(
      outcomes.map((o) =>
        'lowWatermark' in o ? { ...o, lowWatermark: Number(o.lowWatermark) } : { ...o, error: kafkaExceptionText(o.errorCode) },
      ),
    );
  } else {
    process.stdout.write('Records delete operation completed:\n');
    for (const o of outcomes) {
      const result = 'lowWatermark' in o ? `low_watermark: ${o.lowWatermark}` : `error: ${kafkaExceptionText(o.errorCode)}`;
      process.stdout.write(`partition: ${o.topic}-${o.partition}\t${result}\n`);
    }
  }
  const failed = outcomes.filter((o) => 'errorCode' in o).length;
  if (failed > 0) throw new KtsError(`Error: records of ${failed} partition(s) could not be deleted`);
}
