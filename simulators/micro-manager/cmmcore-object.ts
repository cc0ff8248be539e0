/**
 * The running mmcorej.CMMCore as the bridge hands it out, and the classes the simulated server can load:
 * what `get-constructors`, `constructor` and `get-class` see.
 */
import type { JavaClassRegistry } from './bridge-server';
import { imagingMethods } from './cmmcore-imaging';
import { motionMethods } from './cmmcore-motion';
import { cmmcoreStatics, systemMethods } from './cmmcore-system';
import { enumClassObject, isEnumClass } from './java-enums';
import { JavaServerError } from './java-errors';
import { classObjectListing, recordedListing, vectorListing } from './java-listings';
import { point2D } from './java-point';
import { doubleVector, strVector } from './java-vectors';
import type { SimMicroscope } from './microscope';
import { makeClassObject, makeRemoteObject, type MethodTable } from './remote-object';
import type { RemoteObject } from './remote-values';

export interface CmmcoreTables {
  readonly methods: MethodTable;
  readonly statics: MethodTable;
}

export function cmmcoreTables(scope: SimMicroscope): CmmcoreTables {
  const statics = cmmcoreStatics(new Map());
  return {
    methods: { ...systemMethods(scope.core, scope.stages), ...imagingMethods(scope), ...motionMethods(scope) },
    statics,
  };
}

/** The signatures of CMMCore's Java API the simulator implements (the rest answer "not implemented"). */
export function implementedCmmcoreSignatures(tables: CmmcoreTables): string[] {
  const listed = new Set(recordedListing('mmcorej.CMMCore').api.map((m) => `${m.name}(${m.arguments.join(',')})`));
  return Object.keys({ ...tables.methods, ...tables.statics }).filter((signature) => listed.has(signature));
}

const notFound = () => new JavaServerError('java.lang.RuntimeException', 'Class not found on any classloaders', 'loadClass');
const noConstructor = () =>
  new JavaServerError('java.lang.RuntimeException', 'No Matching method found with argumetn types', 'matchMethod');

export class SimulatedClasses implements JavaClassRegistry {
  readonly core: RemoteObject;
  private readonly tables: CmmcoreTables;

  constructor(scope: SimMicroscope) {
    this.tables = cmmcoreTables(scope);
    this.core = makeRemoteObject({ listing: recordedListing('mmcorej.CMMCore'), ...this.tables });
  }

  implementedSignatures(): string[] {
    return implementedCmmcoreSignatures(this.tables);
  }

  constructors(classpath: string): ReadonlyArray<readonly string[]> {
    switch (classpath) {
      case 'mmcorej.CMMCore':
      case 'mmcorej.StrVector':
      case 'mmcorej.DoubleVector':
        return [[]];
      case 'java.awt.geom.Point2D$Double':
        return [[], ['double', 'double']];
      case 'mmcorej.TaggedImage':
        return [['java.lang.Object', 'mmcorej.org.json.JSONObject']];
      default:
        if (isEnumClass(classpath)) return [];
        throw notFound();
    }
  }

  construct(classpath: string, argumentTypes: readonly string[], args: readonly unknown[]): RemoteObject {
    const signature = argumentTypes.join(',');
    this.constructors(classpath);
    if (classpath === 'mmcorej.CMMCore') return this.core;
    if (classpath === 'mmcorej.StrVector' && args.length === 0) return strVector([]);
    if (classpath === 'mmcorej.DoubleVector' && args.length === 0) return doubleVector([]);
    if (classpath === 'java.awt.geom.Point2D$Double' && args.length === 0) return point2D(0, 0);
    if (classpath === 'java.awt.geom.Point2D$Double' && signature === 'double,double' && args.every((a) => typeof a === 'number')) {
      return point2D(Number(args[0]), Number(args[1]));
    }
    throw noConstructor();
  }

  classObject(classpath: string): RemoteObject {
    if (isEnumClass(classpath)) return enumClassObject(classpath);
    if (classpath === 'mmcorej.CMMCore') return makeClassObject(classObjectListing(recordedListing(classpath)), this.tables.statics);
    if (classpath === 'mmcorej.DoubleVector') return makeClassObject(classObjectListing(vectorListing(classpath)));
    if (['mmcorej.StrVector', 'mmcorej.TaggedImage', 'java.awt.geom.Point2D$Double'].includes(classpath)) {
      return makeClassObject(classObjectListing(recordedListing(classpath)));
    }
    throw notFound();
  }
}
