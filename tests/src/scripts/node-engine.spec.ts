import { nodeEngineProblem, requiredNode } from '../../../scripts/node-engine';

describe('the Node.js check at start', () => {
  it('takes the range package.json states', () => {
    expect(requiredNode()).toBe('>=20.19');
  });

  it('accepts that version and later, refuses earlier ones in a sentence', () => {
    expect(nodeEngineProblem('v20.19.0', '>=20.19')).toBeUndefined();
    expect(nodeEngineProblem('v20.20.2', '>=20.19')).toBeUndefined();
    expect(nodeEngineProblem('v22.1.0', '>=20.19')).toBeUndefined();
    expect(nodeEngineProblem('v20.18.3', '>=20.19')).toBe('Node.js 20.19 or later is needed; this is v20.18.3');
    expect(nodeEngineProblem('v18.20.0', '>=20.19')).toMatch(/^Node\.js 20\.19 or later/);
  });

  it('is true of the Node.js running this test', () => {
    expect(nodeEngineProblem(process.version, requiredNode())).toBeUndefined();
  });
});
