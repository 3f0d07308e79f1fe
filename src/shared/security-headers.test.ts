import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, HUB_MODEL_ORIGINS } from './security-headers';

const directives = (policy: string) =>
  new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

describe('content security policy', () => {
  it('allows connections only to this origin and the model hosts', () => {
    const policy = directives(contentSecurityPolicy(['http://127.0.0.1:4181']));
    expect(policy.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:4181']);
    expect(policy.get('default-src')).toEqual(["'self'"]);
  });

  it('runs no inline script and no eval; WebAssembly compilation only', () => {
    const scripts = directives(contentSecurityPolicy(HUB_MODEL_ORIGINS)).get('script-src') ?? [];
    expect(scripts).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
  });
});
