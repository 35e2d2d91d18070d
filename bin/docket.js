#!/usr/bin/env node
// The `docket` command runs the compiled CLI; `npm ci` builds it (the `prepare` script).
import '../dist/src/cli.js';
