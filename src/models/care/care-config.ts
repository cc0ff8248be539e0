import { z } from 'zod';

/**
 * The CARE network's hyper-parameters, with CSBDeep's names in comments (csbdeep.models.Config). The network is
 * CSBDeep's 2-D U-Net: `depth` levels of `convsPerLevel` convolutions, `firstFilters` doubling per level, 2×2
 * max-pooling, nearest upsampling with skip concatenation, a 1×1 linear output added to the input (residual).
 * `probabilistic` adds CSBDeep's Laplace scale head (1×1 conv + softplus): the per-pixel uncertainty.
 * `blurPool` and `topSkip: false` are N2V2's fixes (Höck et al. 2022) against Noise2Void's checkerboard artefacts;
 * absent, the network is CSBDeep's (models saved before them read the same).
 */
export const careConfigSchema = z
  .object({
    /** unet_kern_size */
    kernelSize: z.number().int().min(1).max(11).refine((k) => k % 2 === 1, 'must be odd'),
    /** unet_n_depth */
    depth: z.number().int().min(1).max(5),
    /** unet_n_first */
    firstFilters: z.number().int().min(1).max(256),
    /** unet_n_conv_per_depth */
    convsPerLevel: z.number().int().min(1).max(4),
    /** unet_residual */
    residual: z.boolean(),
    /** probabilistic */
    probabilistic: z.boolean(),
    /** N2V2's max-blur-pool: 2×2 max at stride 1, then a 3×3 binomial blur at stride 2 (default false: max-pool) */
    blurPool: z.boolean().optional(),
    /** the skip connection of the full-resolution level (default true; N2V2 drops it) */
    topSkip: z.boolean().optional(),
  })
  .strict();

export type CareConfig = z.infer<typeof careConfigSchema>;

/** CSBDeep's defaults for 2-D CARE (Config(axes='YX')): 923 k parameters. */
export const CSBDEEP_DEFAULT_CONFIG: CareConfig = {
  kernelSize: 5,
  depth: 2,
  firstFilters: 32,
  convsPerLevel: 2,
  residual: true,
  probabilistic: false,
};

/**
 * The configuration the shipped model uses: the same architecture, kernel 3 and 16 first filters, so that it
 * trains in minutes and predicts a 512² frame in a fraction of a second on a 2-core CPU; with the Laplace head.
 */
export const SHIPPED_CARE_CONFIG: CareConfig = {
  kernelSize: 3,
  depth: 2,
  firstFilters: 16,
  convsPerLevel: 2,
  residual: true,
  probabilistic: true,
};

/** Frame sides the network accepts untiled are multiples of this (one 2×2 pooling per level). */
export function sizeMultiple(config: CareConfig): number {
  return 2 ** config.depth;
}

/**
 * Half-width of the receptive field in pixels: how far an output pixel sees. Tiles overlap by at least this so that
 * tiled and untiled predictions agree.
 */
export function receptiveFieldRadiusPx(config: CareConfig): number {
  const r = (config.kernelSize - 1) / 2;
  let radius = 0;
  // A max-pool reaches 1 pixel further at its level's scale; a blur-pool (max 2, blur 3 at stride 2) 3 pixels.
  const poolReachPx = config.blurPool ? 3 : 1;
  for (let level = 0; level < config.depth; level++) radius += config.convsPerLevel * r * 2 ** level + poolReachPx * 2 ** level;
  radius += config.convsPerLevel * r * 2 ** config.depth;
  for (let level = config.depth - 1; level >= 0; level--) radius += config.convsPerLevel * r * 2 ** level;
  return radius;
}

/**
 * Noise2Void's configuration of the same network (n2v's N2VConfig: residual off), at the shipped size, with
 * N2V2's blur-pool and without the top-level skip connection.
 */
export const SELF_SUPERVISED_CARE_CONFIG: CareConfig = { ...SHIPPED_CARE_CONFIG, residual: false, blurPool: true, topSkip: false };

/** Plain Noise2Void (Krull et al. 2019): CSBDeep's U-Net with max-pooling and every skip connection. */
export const PLAIN_N2V_CONFIG: CareConfig = { ...SHIPPED_CARE_CONFIG, residual: false };
