import { UsageError } from '../usage-error';
import { parseStormArgs } from './storm-args';

describe('scope storm arguments', () => {
  it('takes the input, the output and defaults to the shipped Deep-STORM model', () => {
    const o = parseStormArgs(['in.tif', 'out.ome.tif']);
    expect(o).toMatchObject({
      input: 'in.tif',
      output: 'out.ome.tif',
      model: 'deep-storm-default',
      method: 'deep-storm',
      runtime: 'auto',
      upsampling: 8,
    });
  });

  it('reads every option, with or without "="', () => {
    const o = parseStormArgs([
      'a.tif',
      'b.ome.tif',
      '--method',
      'classical',
      '--quality=q.json',
      '--locs',
      'l.csv',
      '--pixel-size-nm',
      '160',
      '--batch',
      '8',
      '--render',
      'gaussian',
    ]);
    expect(o).toMatchObject({ method: 'classical', quality: 'q.json', locs: 'l.csv', pixelSizeNm: 160, batch: 8, render: 'gaussian' });
  });

  it('names what is wrong', () => {
    expect(() => parseStormArgs(['only-one.tif'])).toThrow(UsageError);
    expect(() => parseStormArgs(['a.tif', 'b.tif', '--method', 'magic'])).toThrow(/--method/);
    expect(() => parseStormArgs(['a.tif', 'b.tif', '--pixel-size-nm', '-5'])).toThrow(/--pixel-size-nm/);
    expect(() => parseStormArgs(['a.tif', 'b.tif', '--frobnicate', '1'])).toThrow(/unknown option --frobnicate/);
    expect(() => parseStormArgs(['a.tif', 'b.tif', '--locs'])).toThrow(/--locs needs a value/);
  });
});
