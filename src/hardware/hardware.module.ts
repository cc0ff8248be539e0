import { Module } from '@nestjs/common';
import { HardwareService } from './hardware.service';
import { LightSourceProvider } from './light-source-provider';
import { SimulatedHardware } from './simulation/simulated-hardware';

@Module({ providers: [SimulatedHardware, LightSourceProvider, HardwareService], exports: [HardwareService] })
export class HardwareModule {}
