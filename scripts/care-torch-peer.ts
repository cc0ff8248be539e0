/**
 * The PyTorch peer of the models benchmark: the same CARE network, with the same weights, in Debian's python3-torch
 * on the same CPU, as a child process that answers timing requests on stdin (so rounds of ours and of the peer
 * can alternate). Installs python3-torch with apt-get when it is missing.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type * as tf from '@tensorflow/tfjs';
import type { CareConfig } from '../src/models/care/care-config';

export const PYTHON = '/usr/bin/python3';

export interface PeerAllocator {
  /** What the peer's malloc does, for the benchmark's lines. */
  readonly description: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * How the PyTorch peers allocate. By default glibc serves large blocks with mmap and unmaps them when freed, so
 * every forward pass faults its activations in afresh; on this VM (~15 µs a page fault) that made one 512² CARE
 * frame take 135–1150 ms instead of a steady 68 ms, and the peer's median swung 280–730 ms between runs. The bench
 * measures the peers at their best, malloc keeping what it freed (no mmap, no trimming) as a caching allocator
 * would; `glibcDefault` runs them as installed.
 */
export function peerAllocator(glibcDefault: boolean): PeerAllocator {
  return glibcDefault
    ? { description: "glibc's default malloc", env: process.env }
    : {
        description: 'malloc keeping freed memory (MALLOC_MMAP_MAX_=0, no trim)',
        env: { ...process.env, MALLOC_MMAP_MAX_: '0', MALLOC_TRIM_THRESHOLD_: '4294967295', MALLOC_TOP_PAD_: String(256 * 2 ** 20) },
      };
}

/** The CARE U-Net as a torch.nn.Module (class Care(cfg), layer names as ours); also used by bench/care-training.ts. */
export const CARE_TORCH_NET = String.raw`
import json, sys, time, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(os.cpu_count())

class Care(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        k, d, b, c = cfg['kernelSize'], cfg['depth'], cfg['firstFilters'], cfg['convsPerLevel']
        self.cfg = cfg
        self.convs = nn.ModuleDict()
        def conv(name, cin, cout, kk): self.convs[name] = nn.Conv2d(cin, cout, kk, padding=kk // 2); return cout
        ch = 1; skips = []
        for level in range(d):
            for i in range(c): ch = conv(f'down_level_{level}_no_{i}', ch, b * 2 ** level, k)
            skips.append(ch)
        for i in range(c - 1): ch = conv(f'middle_{i}', ch, b * 2 ** d, k)
        ch = conv(f'middle_{c}', ch, b * 2 ** max(0, d - 1), k)
        for level in reversed(range(d)):
            ch = ch + skips[level]
            for i in range(c - 1): ch = conv(f'up_level_{level}_no_{i}', ch, b * 2 ** level, k)
            ch = conv(f'up_level_{level}_no_{c}', ch, b * 2 ** max(0, level - 1), k)
        conv('final_conv', ch, 1, 1)
        if cfg['probabilistic']: conv('laplace_scale', ch, 1, 1)
    def forward(self, x):
        cfg = self.cfg; d, c = cfg['depth'], cfg['convsPerLevel']; cv = self.convs
        skips = []; h = x
        for level in range(d):
            for i in range(c): h = F.relu(cv[f'down_level_{level}_no_{i}'](h))
            skips.append(h); h = F.max_pool2d(h, 2)
        for i in range(c - 1): h = F.relu(cv[f'middle_{i}'](h))
        h = F.relu(cv[f'middle_{c}'](h))
        for level in reversed(range(d)):
            h = torch.cat([F.interpolate(h, scale_factor=2, mode='nearest'), skips[level]], 1)
            for i in range(c - 1): h = F.relu(cv[f'up_level_{level}_no_{i}'](h))
            h = F.relu(cv[f'up_level_{level}_no_{c}'](h))
        mean = cv['final_conv'](h)
        if cfg['residual']: mean = mean + x
        if not cfg['probabilistic']: return mean
        return torch.cat([mean, F.softplus(cv['laplace_scale'](h))], 1)
`;

const PEER_SOURCE = String.raw`${CARE_TORCH_NET}
def normalized(img):
    lo, hi = np.percentile(img, [1, 99.8])
    return (img - lo) / (hi - lo + 1e-20), lo, hi

model = None
for line in sys.stdin:
    req = json.loads(line)
    if req['op'] == 'load':
        cfg = req['config']; model = Care(cfg).eval()
        blob = np.fromfile(req['weights'], dtype=np.float32); at = 0
        for w in req['layers']:
            kh, kw, cin, cout = w['kernelShape']; n = kh * kw * cin * cout
            kernel = blob[at:at + n].reshape(kh, kw, cin, cout).transpose(3, 2, 0, 1); at += n
            bias = blob[at:at + cout]; at += cout
            m = model.convs[w['name']]; m.weight.data = torch.from_numpy(kernel.copy()); m.bias.data = torch.from_numpy(bias.copy())
        print(json.dumps({'ok': True, 'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
    elif req['op'] == 'predict':
        img = np.fromfile(req['input'], dtype=np.float32).reshape(req['height'], req['width'])
        with torch.no_grad(): out = model(torch.from_numpy(img)[None, None]).numpy()
        out.astype(np.float32).tofile(req['output'])
        print(json.dumps({'ok': True}), flush=True)
    elif req['op'] == 'time':
        rng = np.random.default_rng(0)
        img = (100 + 20 * rng.standard_normal((req['height'], req['width']))).astype(np.float32)
        ms = []
        with torch.no_grad():
            for _ in range(req['reps']):
                t = time.perf_counter()
                x, lo, hi = normalized(img)
                out = model(torch.from_numpy(x.astype(np.float32))[None, None]).numpy()
                restored = out[0, 0] * (hi - lo) + lo
                ms.append((time.perf_counter() - t) * 1000)
        print(json.dumps({'ok': True, 'ms': ms}), flush=True)
`;

/** Makes sure Debian's python3-torch is there (installing it with apt-get when missing); returns why not, or null. */
export function ensureTorch(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.status === 0) return null;
  process.stderr.write('models bench: installing python3-torch and python3-numpy with apt-get (Debian) for the PyTorch peer\n');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args: string[]) =>
    spawnSync(sudo.length ? 'sudo' : args[0], sudo.length ? args : args.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  run(['apt-get', 'update', '-qq']);
  const install = run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'python3-torch', 'python3-numpy']);
  if (install.status !== 0) return 'apt-get install python3-torch failed';
  return spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0
    ? null
    : 'python3-torch does not import after installing';
}

export class TorchPeer {
  private readonly lines: AsyncIterableIterator<string>;
  private readonly dir = mkdtempSync(join(tmpdir(), 'care-peer-'));

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start(model: tf.LayersModel, config: CareConfig, allocator: PeerAllocator): Promise<TorchPeer> {
    const peer = new TorchPeer(spawn(PYTHON, ['-c', PEER_SOURCE], { stdio: ['pipe', 'pipe', 'pipe'], env: allocator.env }));
    peer.child.stderr.on('data', (d: Buffer) => process.stderr.write(`torch peer: ${d}`));
    const layers = model.layers.filter((l) => l.getClassName() === 'Conv2D');
    const chunks: Float32Array[] = [];
    const manifest = layers.map((layer) => {
      const [kernel, bias] = layer.getWeights();
      chunks.push(kernel.dataSync() as Float32Array, bias.dataSync() as Float32Array);
      return { name: layer.name, kernelShape: kernel.shape };
    });
    const weights = join(peer.dir, 'weights.bin');
    writeFileSync(weights, Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))));
    await peer.request({ op: 'load', config, weights, layers: manifest });
    return peer;
  }

  private async request(body: object): Promise<Record<string, unknown>> {
    this.child.stdin.write(`${JSON.stringify(body)}\n`);
    const { value, done } = await this.lines.next();
    if (done) throw new Error('the PyTorch peer exited');
    return JSON.parse(value) as Record<string, unknown>;
  }

  /** Milliseconds per frame (normalise, forward, denormalise) for `reps` frames of the given size. */
  async time(heightPx: number, widthPx: number, reps: number): Promise<number[]> {
    return (await this.request({ op: 'time', height: heightPx, width: widthPx, reps })).ms as number[];
  }

  /** The network's raw output (NCHW) for a normalised frame, to check both runtimes compute the same thing. */
  async predict(input: Float32Array, heightPx: number, widthPx: number): Promise<Float32Array> {
    const inPath = join(this.dir, 'in.bin');
    const outPath = join(this.dir, 'out.bin');
    writeFileSync(inPath, Buffer.from(input.buffer, input.byteOffset, input.byteLength));
    await this.request({ op: 'predict', input: inPath, output: outPath, height: heightPx, width: widthPx });
    const bytes = readFileSync(outPath);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}
