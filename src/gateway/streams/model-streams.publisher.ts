import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { filter, map } from 'rxjs';
import { AgentService } from '../../agent/agent.service';
import { LiveModelsService } from '../../models/live/live-models.service';
import { ModelsService } from '../../models/models.service';
import type { ZooPredictedFrame } from '../../models/zoo/zoo-branch';
import type { FrameMetadata } from '../../acquisition/frame';
import type { StreamImage, StreamRecord } from './stream-types';
import { StreamsRegistry } from './streams.registry';

/** A model output's pixels, named by its raw frame (sequence, acquisition, when it was taken). */
function imageOf(output: {
  pixels: StreamImage['pixels'];
  width: number;
  height: number;
  source: FrameMetadata;
}): Pick<StreamImage, 'pixels' | 'width' | 'height' | 'sourceSequence' | 'acquisitionId' | 'wallTimeMs' | 'exposureMs'> {
  const { source } = output;
  return {
    pixels: output.pixels,
    width: output.width,
    height: output.height,
    sourceSequence: source.sequence,
    acquisitionId: source.acquisitionId,
    wallTimeMs: source.wallTimeMs,
    exposureMs: source.exposureMs,
  };
}

/**
 * Registers what the models and the agent produce: restored frames with their uncertainty map and predicted PSNR,
 * the growing super-resolved image with its SQUIRREL error map and RSP, a Zoo model's output with its confidence
 * (each only when that live branch is on), the
 * agent's decisions, and the series the page plots (predicted phototoxicity, SNR). Model images name their raw frame.
 */
@Injectable()
export class ModelStreamsPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly unregister: Array<() => void> = [];

  constructor(
    private readonly registry: StreamsRegistry,
    private readonly live: LiveModelsService,
    private readonly models: ModelsService,
    private readonly agent: AgentService,
  ) {}

  onModuleInit(): void {
    if (this.live.care.enabled) this.unregister.push(this.registerDenoised());
    if (this.live.storm.enabled) this.unregister.push(this.registerSuperResolved());
    if (this.live.zoo.enabled) this.unregister.push(this.registerZoo());
    const decisions$ = this.agent.decisions$;
    this.unregister.push(
      this.registry.registerRecordStream('agent-decisions', 'log', decisions$.pipe(map((record) => record as unknown as StreamRecord)), {
        title: 'agent decisions',
      }),
      this.registry.registerRecordStream(
        'phototoxicity',
        'series',
        decisions$.pipe(
          filter((record) => record.inputs.predictedRisk !== null),
          map((record) => ({ timeMs: Date.parse(record.time), value: record.inputs.predictedRisk! })),
        ),
        { title: 'predicted phototoxicity', unit: 'probability' },
      ),
      this.registry.registerRecordStream(
        'snr',
        'series',
        decisions$.pipe(
          filter((record) => record.inputs.snr !== null),
          map((record) => ({ timeMs: Date.parse(record.time), value: record.inputs.snr! })),
        ),
        { title: 'SNR', unit: '' },
      ),
    );
  }

  onModuleDestroy(): void {
    for (const unregister of this.unregister.splice(0)) unregister();
  }

  private registerDenoised(): () => void {
    const images$ = this.live.care.output$.pipe(
      map((restored): StreamImage => ({
        ...imageOf(restored),
        quality: { name: carePsnrName(restored.quality), value: restored.quality.predictedPsnrDb, unit: 'dB' },
        modelId: restored.quality.modelId,
        qualityMap: { pixels: restored.uncertainty, width: restored.width, height: restored.height },
      })),
    );
    return this.registry.registerImageStream('denoised', 'denoised', images$, 'denoised (CARE)');
  }

  private registerZoo(): () => void {
    const quality = (frame: ZooPredictedFrame): StreamImage['quality'] => {
      if (frame.quality.flagged) return { name: 'FLAGGED: non-finite output pixels', value: frame.quality.nonFiniteCount };
      if (frame.quality.confidence !== undefined) return { name: 'confidence', value: frame.quality.confidence };
      return { name: 'latency', value: frame.quality.latencyMs, unit: 'ms' };
    };
    const images$ = this.live.zoo.output$.pipe(
      map((frame): StreamImage => ({
        ...imageOf(frame),
        quality: quality(frame),
      })),
    );
    const titleOf = (name: string) => `${name} (BioImage Model Zoo)`;
    const unregister = this.registry.registerImageStream('zoo', 'other', images$);
    const retitle = this.live.zoo.title$.subscribe((name) => this.registry.retitleImageStream('zoo', titleOf(name)));
    return () => {
      retitle.unsubscribe();
      unregister();
    };
  }

  private registerSuperResolved(): () => void {
    const images$ = this.live.storm.output$.pipe(
      map((image): StreamImage => ({
        ...imageOf(image),
        ...(image.quality.rsp !== null ? { quality: { name: 'SQUIRREL RSP', value: image.quality.rsp } } : {}),
        ...(image.quality.errorMap
          ? { qualityMap: { pixels: image.quality.errorMap, width: image.source.width, height: image.source.height } }
          : {}),
      })),
    );
    return this.registry.registerImageStream(
      'super-resolved',
      'super-resolved',
      images$,
      this.models.settings.storm.method === 'deep-storm' ? 'Deep-STORM' : 'classical localisation',
    );
  }
}

/** The figure's name says whether it is calibrated on held-out pairs and when the input is outside the training range. */
function carePsnrName(quality: { readonly psnrCalibrated: boolean; readonly inputCheck?: { readonly label?: string } }): string {
  const name = quality.psnrCalibrated ? 'predicted PSNR (calibrated)' : 'predicted PSNR (uncalibrated)';
  return quality.inputCheck?.label ? `${name} — ${quality.inputCheck.label.toUpperCase()}` : name;
}
