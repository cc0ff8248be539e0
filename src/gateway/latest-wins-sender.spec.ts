import { LatestWinsSender } from './latest-wins-sender';

describe('latest-wins sender', () => {
  it('keeps one message in flight and replaces the waiting one, counting the skipped', () => {
    const delivered: number[] = [];
    const acks: Array<() => void> = [];
    const sender = new LatestWinsSender<number>((message, ack) => {
      delivered.push(message);
      acks.push(ack);
    });
    for (let i = 1; i <= 5; i++) sender.offer(i);
    expect(delivered).toEqual([1]);
    acks.shift()!();
    expect(delivered).toEqual([1, 5]);
    expect(sender.dropped).toBe(3);
    acks.shift()!();
    sender.offer(6);
    expect(delivered).toEqual([1, 5, 6]);
  });

  it('ignores a second acknowledgement and sends nothing after close', () => {
    const delivered: number[] = [];
    let ack: () => void = () => undefined;
    const sender = new LatestWinsSender<number>((message, a) => {
      delivered.push(message);
      ack = a;
    });
    sender.offer(1);
    sender.offer(2);
    const first = ack;
    first();
    first();
    expect(delivered).toEqual([1, 2]);
    sender.close();
    ack();
    sender.offer(3);
    expect(delivered).toEqual([1, 2]);
  });
});
