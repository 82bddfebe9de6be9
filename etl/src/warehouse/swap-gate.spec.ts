import { SwapGate } from './swap-gate';

const later = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SwapGate', () => {
  it('runs the exclusive work after the shared work under way, and later shared work after it', async () => {
    const gate = new SwapGate();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = gate.shared(async () => {
      order.push('read 1 starts');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      order.push('read 1 ends');
    });
    await later();
    const swap = gate.exclusive(async () => {
      order.push('exchange');
      await later();
    });
    await later();
    // a read arriving while the exchange only waits is not held back by it
    const second = gate.shared(async () => {
      order.push('read 2');
    });
    await second;
    releaseFirst();
    await Promise.all([first, swap]);
    // a read arriving while the exchange runs waits for it
    let releaseSwap!: () => void;
    const swapAgain = gate.exclusive(async () => {
      order.push('exchange 2 starts');
      await new Promise<void>((resolve) => (releaseSwap = resolve));
      order.push('exchange 2 ends');
    });
    await later();
    const third = gate.shared(async () => {
      order.push('read 3');
    });
    await later();
    releaseSwap();
    await Promise.all([swapAgain, third]);
    expect(order).toEqual(['read 1 starts', 'read 2', 'read 1 ends', 'exchange', 'exchange 2 starts', 'exchange 2 ends', 'read 3']);
  });
});
