/**
 * The PyTorch peer of the ONNX cases in the models benchmark (the Zoo U-Net, Deep-STORM): a package's own ONNX
 * graph (weights and all) executed op by op with torch.nn.functional in Debian's python3-torch, since the shared
 * Zoo package carries no PyTorch architecture and one interpreter for both keeps the peers alike. Python reads the
 * ONNX protobuf itself (python3-onnx is not needed) and supports the ops these networks use: Conv, Relu, MaxPool,
 * Constant, Resize (nearest, linear), Concat, Add, Sigmoid, Softplus, Identity, Transpose, BatchNormalization
 * (inference). Each `time` request runs the whole job the way a PyTorch user would write it: the Zoo U-Net's
 * zero-mean-unit-variance, forward and sigmoid; Deep-STORM's min–max projection, standardisation, ×k nearest
 * upsampling, a batch forward (NHWC, as the graph takes) and the clipped sum of the densities.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { PYTHON, type PeerAllocator } from '../../scripts/care-torch-peer';

const PEER_SOURCE = String.raw`
import json, os, struct, sys, time
import numpy as np
import torch
import torch.nn.functional as F
torch.set_num_threads(os.cpu_count())

def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1; r |= (c & 0x7f) << s; s += 7
        if c < 0x80: return r, i

def fields(b):
    i = 0
    while i < len(b):
        k, i = varint(b, i); f, w = k >> 3, k & 7
        if w == 0: v, i = varint(b, i)
        elif w == 1: v = b[i:i + 8]; i += 8
        elif w == 5: v = b[i:i + 4]; i += 4
        elif w == 2: n, i = varint(b, i); v = b[i:i + n]; i += n
        else: raise ValueError('wire type %d' % w)
        yield f, w, v

def ints(entries):
    out = []
    for w, v in entries:
        if w == 0: out.append(v if v < 2 ** 63 else v - 2 ** 64)
        else:
            i = 0
            while i < len(v):
                x, i = varint(v, i); out.append(x if x < 2 ** 63 else x - 2 ** 64)
    return out

DTYPES = {1: np.float32, 6: np.int32, 7: np.int64, 11: np.float64}

def tensor(b):
    dims, dtype, name, raw, floats, int64s = [], 1, '', None, [], []
    for f, w, v in fields(b):
        if f == 1: dims += ints([(w, v)])
        elif f == 2: dtype = v
        elif f == 8: name = v.decode()
        elif f == 9: raw = v
        elif f == 4: floats += list(struct.unpack('<%df' % (len(v) // 4), v)) if w == 2 else [struct.unpack('<f', v)[0]]
        elif f == 7: int64s += ints([(w, v)])
    if raw is not None: arr = np.frombuffer(raw, dtype=DTYPES[dtype]).copy()
    elif floats: arr = np.array(floats, dtype=np.float32)
    else: arr = np.array(int64s, dtype=np.int64)
    return name, torch.from_numpy(arr.reshape(dims))

def attribute(b):
    name, entries, value = '', [], None
    for f, w, v in fields(b):
        if f == 1: name = v.decode()
        elif f == 2: value = struct.unpack('<f', v)[0]
        elif f == 3: value = v if v < 2 ** 63 else v - 2 ** 64
        elif f == 4: value = v.decode()
        elif f == 5: value = tensor(v)[1]
        elif f == 8: entries.append((w, v))
    return name, (ints(entries) if entries else value)

def load(path):
    model = dict((f, v) for f, w, v in fields(open(path, 'rb').read()))
    nodes, init, inputs, outputs = [], {}, [], []
    for f, w, v in fields(model[7]):
        if f == 1:
            n = {'in': [], 'out': [], 'attrs': {}}
            for ff, ww, x in fields(v):
                if ff == 1: n['in'].append(x.decode())
                elif ff == 2: n['out'].append(x.decode())
                elif ff == 4: n['op'] = x.decode()
                elif ff == 5: k, a = attribute(x); n['attrs'][k] = a
            nodes.append(n)
        elif f == 5: k, t = tensor(v); init[k] = t
        elif f == 11: inputs.append([x for ff, ww, x in fields(v) if ff == 1][0].decode())
        elif f == 12: outputs.append([x for ff, ww, x in fields(v) if ff == 1][0].decode())
    return nodes, init, [i for i in inputs if i not in init], outputs

def pads2d(a):
    p = a.get('pads', [0, 0, 0, 0])
    if p[0] != p[2] or p[1] != p[3]: raise ValueError('asymmetric pads')
    return (p[0], p[1])

def run(graph, x):
    nodes, init, inputs, outputs = graph
    env = dict(init); env[inputs[0]] = x
    for n in nodes:
        a = n['attrs']; i = [env[k] if k else None for k in n['in']]; op = n['op']
        if op == 'Conv': y = F.conv2d(i[0], i[1], i[2] if len(i) > 2 else None, a.get('strides', [1, 1]), pads2d(a), a.get('dilations', [1, 1]), a.get('group', 1))
        elif op == 'Relu': y = F.relu(i[0])
        elif op == 'Sigmoid': y = torch.sigmoid(i[0])
        elif op == 'Identity': y = i[0]
        elif op == 'Add': y = i[0] + i[1]
        elif op == 'MaxPool': y = F.max_pool2d(i[0], a['kernel_shape'], a.get('strides', a['kernel_shape']), pads2d(a), ceil_mode=bool(a.get('ceil_mode', 0)))
        elif op == 'Constant': y = a['value']
        elif op == 'Concat': y = torch.cat(i, a.get('axis', 1))
        elif op == 'Softplus': y = F.softplus(i[0])
        elif op == 'Transpose': y = i[0].permute(*a['perm'])
        elif op == 'BatchNormalization': y = F.batch_norm(i[0], i[3], i[4], i[1], i[2], False, 0.0, a.get('epsilon', 1e-5))
        elif op == 'Resize':
            scales = i[2] if len(i) > 2 and i[2] is not None and i[2].numel() else None
            size = [int(s) for s in i[3][2:]] if len(i) > 3 and i[3] is not None else None
            mode = a.get('mode', 'nearest')
            kw = {'size': size} if size else {'scale_factor': [float(s) for s in scales[2:]]}
            if mode == 'nearest': y = F.interpolate(i[0], mode='nearest', **kw)
            else: y = F.interpolate(i[0], mode='bilinear', align_corners=a.get('coordinate_transformation_mode') == 'align_corners', **kw)
        else: raise ValueError('op %s is not supported by the peer' % op)
        env[n['out'][0]] = y
    return env[outputs[0]]

def upsampled(frames, k, mean, std):
    lo = frames.min(axis=(1, 2), keepdims=True); hi = frames.max(axis=(1, 2), keepdims=True)
    x = ((frames - lo) / (hi - lo) - mean) / std
    return np.repeat(np.repeat(x, k, axis=1), k, axis=2)[..., None].astype(np.float32)

graph = None
for line in sys.stdin:
    req = json.loads(line)
    if req['op'] == 'load':
        graph = load(req['onnx'])
        with torch.no_grad():
            x = torch.from_numpy(np.load(req['testInput']).astype(np.float32))
            if req.get('pre') == 'zmuv': x = (x - x.mean()) / (x.std(unbiased=False) + 1e-6)
            out = run(graph, x)
            if req.get('post') == 'sigmoid': out = torch.sigmoid(out)
            out = out.numpy()
        diff = float(np.abs(out - np.load(req['testOutput'])).max())
        print(json.dumps({'ok': True, 'torch': torch.__version__, 'threads': torch.get_num_threads(), 'maxAbsDiffVsTestOutput': diff}), flush=True)
    elif req['op'] == 'time' and req.get('pipeline', 'zoo') == 'zoo':
        rng = np.random.default_rng(0)
        img = (100 + 20 * rng.standard_normal((req['height'], req['width']))).astype(np.float32)
        ms = []
        with torch.no_grad():
            for _ in range(req['reps']):
                t = time.perf_counter()
                x = torch.from_numpy((img - img.mean()) / (img.std() + 1e-6))[None, None]
                out = torch.sigmoid(run(graph, x)).numpy()
                ms.append((time.perf_counter() - t) * 1000)
        print(json.dumps({'ok': True, 'ms': ms}), flush=True)
    elif req['op'] == 'time' and req['pipeline'] == 'deep-storm':
        rng = np.random.default_rng(0)
        frames = (100 + 20 * rng.standard_normal((req['batch'], req['height'], req['width']))).astype(np.float32)
        ms = []
        with torch.no_grad():
            for _ in range(req['reps']):
                t = time.perf_counter()
                x = torch.from_numpy(upsampled(frames, req['upsampling'], req['mean'], req['std']))
                density = torch.clamp(run(graph, x), min=0).sum(0)[..., 0] / req['massPerEmitter']
                density.numpy()
                ms.append((time.perf_counter() - t) * 1000 / req['batch'])
        print(json.dumps({'ok': True, 'ms': ms}), flush=True)
    else:
        print(json.dumps({'ok': False, 'error': 'unknown request %s' % req.get('op')}), flush=True)
`;

/** How the peer checks the graph on the package's test tensors: what it applies before and after the graph. */
export interface PeerCheck {
  readonly testInput: string;
  readonly testOutput: string;
  readonly pre: 'zmuv' | 'none';
  readonly post: 'sigmoid' | 'none';
}

export interface DeepStormPeerJob {
  readonly batch: number;
  readonly upsampling: number;
  readonly mean: number;
  readonly std: number;
  readonly massPerEmitter: number;
}

export class OnnxTorchPeer {
  private readonly lines: AsyncIterableIterator<string>;
  private maxDiff = NaN;
  private torchThreads = NaN;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /** Loads an ONNX graph into the peer and checks it against the package's own test tensors. */
  static async start(onnxPath: string, check: PeerCheck, allocator: PeerAllocator): Promise<OnnxTorchPeer> {
    const child = spawn(PYTHON, ['-c', PEER_SOURCE], { stdio: ['pipe', 'pipe', 'pipe'], env: allocator.env });
    child.stderr.on('data', (d: Buffer) => process.stderr.write(`onnx torch peer: ${d}`));
    const peer = new OnnxTorchPeer(child);
    const reply = await peer.request({ op: 'load', onnx: onnxPath, ...check });
    peer.maxDiff = Number(reply.maxAbsDiffVsTestOutput);
    peer.torchThreads = Number(reply.threads);
    return peer;
  }

  /** Largest difference between the peer's output for the package's test input and the test output. */
  get maxAbsDiffVsTestOutput(): number {
    return this.maxDiff;
  }

  get threads(): number {
    return this.torchThreads;
  }

  private async request(body: object): Promise<Record<string, unknown>> {
    this.child.stdin.write(`${JSON.stringify(body)}\n`);
    const { value, done } = await this.lines.next();
    if (done) throw new Error('the ONNX PyTorch peer exited');
    const reply = JSON.parse(value) as Record<string, unknown>;
    if (reply.ok !== true) throw new Error(`the ONNX PyTorch peer refused ${JSON.stringify(body)}: ${String(reply.error)}`);
    return reply;
  }

  /** Zoo U-Net: milliseconds per frame (normalise, forward, sigmoid) for `reps` frames of the given size. */
  async time(heightPx: number, widthPx: number, reps: number): Promise<number[]> {
    return (await this.request({ op: 'time', pipeline: 'zoo', height: heightPx, width: widthPx, reps })).ms as number[];
  }

  /** Deep-STORM: milliseconds per camera frame, one value per batch of `job.batch` frames, for `reps` batches. */
  async timeDeepStorm(heightPx: number, widthPx: number, reps: number, job: DeepStormPeerJob): Promise<number[]> {
    return (await this.request({ op: 'time', pipeline: 'deep-storm', height: heightPx, width: widthPx, reps, ...job })).ms as number[];
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}
