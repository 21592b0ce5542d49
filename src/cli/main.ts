#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerRun } from './run.js';
import { registerTask } from './task.js';
import { registerRefresh } from './refresh.js';
import { registerValidate } from './validate.js';
import { registerPublish } from './publish.js';
import { registerPull } from './pull.js';
import { registerLangid } from './langid.js';
import { registerFilter } from './filter.js';
import { registerDedup } from './dedup.js';
import { registerSite } from './site.js';
import { registerRead } from './read.js';
import { registerCrawl } from './crawl.js';
import { registerExtract } from './extract.js';

const program = new Command()
  .name('villers')
  .description('French-first corpus toolkit: collect, clean, tag and publish openly licensed French text')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

for (const register of [registerRun, registerTask, registerRefresh, registerValidate, registerPublish, registerPull, registerLangid, registerFilter, registerDedup, registerSite, registerRead, registerCrawl, registerExtract]) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  process.stderr.write(`villers: ${(e as Error).message}\n`);
  process.exit(1);
}
