import { Module } from '@nestjs/common';

/** The smart-microscopy agent (P5) lives here; it steers illumination only through the hardware envelope. */
@Module({})
export class AgentModule {}
