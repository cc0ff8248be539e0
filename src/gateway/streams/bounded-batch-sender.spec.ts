import { BoundedBatchSender } from './bounded-batch-sender';

describe('bounded batch sender', () => {
  it('sends the first record at once, batches the rest while unacknowledged, dropping the oldest beyond capacity', () => {
    const batches: Array<{ batch: readonly number[]; dropped: number }> = [];
    const acks: Array<() => void> = [];
    const sender = new BoundedBatchSender<number>(3, (batch, dropped, ack) => {
      batches.push({ batch, dropped });
      acks.push(ack);
    });
    for (let i = 1; i <= 6; i++) sender.offer(i);
    expect(batches).toEqual([{ batch: [1], dropped: 0 }]);
    acks.shift()!();
    expect(batches[1]).toEqual({ batch: [4, 5, 6], dropped: 2 });
    expect(sender.dropped).toBe(2);
    acks.shift()!();
    sender.close();
    sender.offer(7);
    expect(batches).toHaveLength(2);
  });
});
