import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

// A secret keeps loadConfig from making one on disk: these cases read only the environment.
const BASE = { DOCKET_SECRET: 'test-secret-test-secret-test-secret-0123' };

describe('LOG_FORMAT', () => {
  it.each([
    { LOG_FORMAT: undefined, stdoutIsTTY: true, expected: 'pretty' },
    { LOG_FORMAT: undefined, stdoutIsTTY: false, expected: 'json' },
    { LOG_FORMAT: 'json', stdoutIsTTY: true, expected: 'json' },
    { LOG_FORMAT: 'json', stdoutIsTTY: false, expected: 'json' },
    { LOG_FORMAT: 'pretty', stdoutIsTTY: false, expected: 'pretty' },
    { LOG_FORMAT: 'pretty', stdoutIsTTY: true, expected: 'pretty' },
  ])(
    'LOG_FORMAT=$LOG_FORMAT with a terminal: $stdoutIsTTY → $expected',
    ({ LOG_FORMAT, stdoutIsTTY, expected }) => {
      const env = LOG_FORMAT === undefined ? BASE : { ...BASE, LOG_FORMAT };
      expect(loadConfig(env, { stdoutIsTTY }).logFormat).toBe(expected);
    },
  );

  it('refuses any other format, naming the variable', () => {
    expect(() => loadConfig({ ...BASE, LOG_FORMAT: 'text' }, { stdoutIsTTY: true })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ ...BASE, LOG_FORMAT: 'text' }, { stdoutIsTTY: true })).toThrow(
      /LOG_FORMAT/,
    );
  });
});
