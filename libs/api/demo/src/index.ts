export * from './lib/demo.module';
export * from './lib/demo-seeder.service';
export * from './lib/demo-content';
