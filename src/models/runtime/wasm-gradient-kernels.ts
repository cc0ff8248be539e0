import * as tf from '@tensorflow/tfjs';

/**
 * Convolution gradients for the wasm backend, expressed as the fast forward convolutions it has (XNNPACK):
 * - Conv2DBackpropFilter (absent from tfjs-backend-wasm 4.22): one 'valid' conv2d of the zero-padded input with
 *   its batch and channel axes swapped, against dy used as the kernel: out[ci,i,j,co] = Σ x[n,y+i,x+j,ci]·dy[n,y,x,co];
 * - Conv2DBackpropInput (present, but a plain loop ~10× slower than a forward conv): conv2d of dy with the kernel
 *   flipped in both spatial axes and its in/out channels swapped;
 * - ReluGrad (absent): dy · step(y).
 * Only stride 1, dilation 1, NHWC, odd square kernels with 'same' padding (and 1×1 'valid') take the fast path;
 * backprop-input falls back to the built-in kernel otherwise, backprop-filter throws naming the case.
 */

type TensorInfo = tf.TensorInfo;

interface KernelBackend {
  disposeData(dataId: object): boolean;
}

export class UnsupportedGradientCaseError extends Error {
  override readonly name = 'UnsupportedGradientCaseError';
}

export const WASM_GRADIENT_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'ReluGrad'] as const;

function callKernel(name: string, backend: KernelBackend, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no '${name}' kernel`);
  return kernel.kernelFunc({ inputs, backend: backend as never, attrs: attrs as never }) as TensorInfo;
}

function pair(value: unknown): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2) return [Number(value[0]), Number(value[1])];
  return [NaN, NaN];
}

interface ConvAttrs {
  readonly strides?: unknown;
  readonly pad?: unknown;
  readonly dataFormat?: unknown;
  readonly dilations?: unknown;
}

function isFastCase(attrs: ConvAttrs, kernelH: number, kernelW: number): boolean {
  const [sh, sw] = pair(attrs.strides ?? 1);
  const [dh, dw] = pair(attrs.dilations ?? 1);
  const padOk = attrs.pad === 'same' || (attrs.pad === 'valid' && kernelH === 1 && kernelW === 1);
  const formatOk = attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC';
  return sh === 1 && sw === 1 && dh === 1 && dw === 1 && kernelH === kernelW && kernelH % 2 === 1 && padOk && formatOk;
}

const CONV_ATTRS = { strides: [1, 1], dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined };

function backpropFilter({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const a = (attrs ?? {}) as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
  const [kh, kw] = a.filterShape;
  if (!isFastCase(a, kh, kw)) {
    throw new UnsupportedGradientCaseError(
      `Conv2DBackpropFilter on wasm handles stride 1, dilation 1, NHWC, odd square kernels with 'same' padding; ` +
        `got kernel ${kh}×${kw}, strides ${String(a.strides)}, dilations ${String(a.dilations)}, pad ${String(a.pad)}`,
    );
  }
  const b = backend as KernelBackend;
  const r = (kh - 1) / 2;
  const temporaries: TensorInfo[] = [];
  const padded = r > 0 ? callKernel('PadV2', b, { x }, { paddings: [[0, 0], [r, r], [r, r], [0, 0]], constantValue: 0 }) : x;
  if (padded !== x) temporaries.push(padded);
  const xSwapped = callKernel('Transpose', b, { x: padded }, { perm: [3, 1, 2, 0] });
  const dyAsKernel = callKernel('Transpose', b, { x: dy }, { perm: [1, 2, 0, 3] });
  const out = callKernel('Conv2D', b, { x: xSwapped, filter: dyAsKernel }, { ...CONV_ATTRS, pad: 'valid' });
  temporaries.push(xSwapped, dyAsKernel, out);
  const grad = callKernel('Transpose', b, { x: out }, { perm: [1, 2, 0, 3] });
  for (const t of temporaries) b.disposeData(t.dataId);
  return grad;
}

function makeBackpropInput(fallback: tf.KernelConfig['kernelFunc']): tf.KernelConfig['kernelFunc'] {
  return (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = (args.attrs ?? {}) as ConvAttrs;
    const [kh, kw] = filter.shape;
    if (!isFastCase(a, kh, kw)) return fallback(args);
    const b = args.backend as KernelBackend;
    const flipped = callKernel('Reverse', b, { x: filter }, { dims: [0, 1] });
    const swapped = callKernel('Transpose', b, { x: flipped }, { perm: [0, 1, 3, 2] });
    const out = callKernel('Conv2D', b, { x: dy, filter: swapped }, { ...CONV_ATTRS, pad: a.pad });
    b.disposeData(flipped.dataId);
    b.disposeData(swapped.dataId);
    return out;
  };
}

function reluGrad({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }): TensorInfo {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  const b = backend as KernelBackend;
  const mask = callKernel('Step', b, { x: y }, { alpha: 0 });
  const out = callKernel('Multiply', b, { a: dy, b: mask });
  b.disposeData(mask.dataId);
  return out;
}

const MARK = Symbol.for('scope.models.fastWasmGradient');

function isOurs(kernel: tf.KernelConfig | undefined): boolean {
  return !!kernel && (kernel.kernelFunc as unknown as Record<symbol, boolean>)[MARK] === true;
}

function mark<F extends tf.KernelConfig['kernelFunc']>(f: F): F {
  (f as unknown as Record<symbol, boolean>)[MARK] = true;
  return f;
}

/**
 * Registers the three kernels for 'wasm' (idempotent; kernels another module registered for names wasm lacks
 * are kept). Returns the kernel names that now run through forward convolutions.
 */
export function registerWasmGradientKernels(): readonly string[] {
  const filter = tf.getKernel('Conv2DBackpropFilter', 'wasm');
  if (!filter) tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: mark(backpropFilter as never) });

  const input = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (input && !isOurs(input)) {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: mark(makeBackpropInput(input.kernelFunc)) });
  }

  if (!tf.getKernel('ReluGrad', 'wasm')) tf.registerKernel({ kernelName: 'ReluGrad', backendName: 'wasm', kernelFunc: mark(reluGrad as never) });
  return WASM_GRADIENT_KERNELS.filter((name) => !!tf.getKernel(name, 'wasm'));
}
