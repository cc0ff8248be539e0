import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { filter, map } from 'rxjs';
import { AgentService } from '../../agent/agent.service';
import { LiveCareService } from '../../models/live/live-care.service';
import { LiveStormService } from '../../models/live/live-storm.service';
import { LiveZooService } from '../../models/live/live-zoo.service';
import type { ZooPredictedFrame } from '../../models/zoo/zoo-branch';
import type { StreamImage, StreamRecord } from './stream-types';
import { StreamsRegistry } from './streams.registry';

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
    private readonly care: LiveCareService,
    private readonly storm: LiveStormService,
    private readonly zoo: LiveZooService,
    private readonly agent: AgentService,
  ) {}

  onModuleInit(): void {
    if (this.care.enabled) this.unregister.push(this.registerDenoised());
    if (this.storm.enabled) this.unregister.push(this.registerSuperResolved());
    if (this.zoo.enabled) this.unregister.push(this.registerZoo());
    const decisions$ = this.agent.decisions$;
    this.unregister.push(
      this.registry.registerRecordStream('agent-decisions', 'log', decisions$.pipe(map((record) => record as unknown as StreamRecord)), { title: 'agent decisions' }),
      this.registry.registerRecordStream(
        'phototoxicity',
        'series',
        decisions$.pipe(filter((record) => record.inputs.predictedRisk !== null), map((record) => ({ timeMs: Date.parse(record.time), value: record.inputs.predictedRisk! }))),
        { title: 'predicted phototoxicity', unit: 'probability' },
      ),
      this.registry.registerRecordStream(
        'snr',
        'series',
        decisions$.pipe(filter((record) => record.inputs.snr !== null), map((record) => ({ timeMs: Date.parse(record.time), value: record.inputs.snr! }))),
        { title: 'SNR', unit: '' },
      ),
    );
  }

  onModuleDestroy(): void {
    for (const unregister of this.unregister.splice(0)) unregister();
  }

  private registerDenoised(): () => void {
    const images$ = this.care.restored$.pipe(
      map(
        (restored): StreamImage => ({
          pixels: restored.pixels,
          width: restored.width,
          height: restored.height,
          sourceSequence: restored.source.sequence,
          acquisitionId: restored.source.acquisitionId,
          wallTimeMs: restored.source.wallTimeMs,
          exposureMs: restored.source.exposureMs,
          quality: { name: 'predicted PSNR', value: restored.quality.predictedPsnrDb, unit: 'dB' },
          qualityMap: { pixels: restored.uncertainty, width: restored.width, height: restored.height },
        }),
      ),
    );
    return this.registry.registerImageStream('denoised', 'denoised', images$, 'denoised (CARE)');
  }

  private registerZoo(): () => void {
    const quality = (frame: ZooPredictedFrame): StreamImage['quality'] => {
      if (frame.quality.flagged) return { name: 'FLAGGED: non-finite output pixels', value: frame.quality.nonFiniteCount };
      if (frame.quality.confidence !== undefined) return { name: 'confidence', value: frame.quality.confidence };
      return { name: 'latency', value: frame.quality.latencyMs, unit: 'ms' };
    };
    const images$ = this.zoo.predicted$.pipe(
      map(
        (frame): StreamImage => ({
          pixels: frame.pixels,
          width: frame.width,
          height: frame.height,
          sourceSequence: frame.source.sequence,
          acquisitionId: frame.source.acquisitionId,
          wallTimeMs: frame.source.wallTimeMs,
          exposureMs: frame.source.exposureMs,
          quality: quality(frame),
        }),
      ),
    );
    return this.registry.registerImageStream('zoo', 'other', images$, `${this.zoo.title} (BioImage Model Zoo)`);
  }

  private registerSuperResolved(): () => void {
    const images$ = this.storm.superResolved$.pipe(
      map(
        (image): StreamImage => ({
          pixels: image.pixels,
          width: image.width,
          height: image.height,
          sourceSequence: image.source.sequence,
          acquisitionId: image.source.acquisitionId,
          wallTimeMs: image.source.wallTimeMs,
          ...(image.quality.rsp !== null ? { quality: { name: 'SQUIRREL RSP', value: image.quality.rsp } } : {}),
          ...(image.quality.errorMap ? { qualityMap: { pixels: image.quality.errorMap, width: image.source.width, height: image.source.height } } : {}),
        }),
      ),
    );
    return this.registry.registerImageStream('super-resolved', 'super-resolved', images$, `super-resolved (${this.storm.method})`);
  }
}
