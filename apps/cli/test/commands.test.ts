import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/main.js';

describe('command registry', () => {
  it.each(COMMANDS.map((entry) => [entry.name, entry] as const))('lists %s with the summary its module gives', async (name, entry) => {
    const command = await entry.load();
    expect(command.spec.name).toBe(name);
    expect(entry.summary).toBe(command.spec.summary);
  });
});
