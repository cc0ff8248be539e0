import { JavaServerError, NotImplementedError } from './java-errors';
import type { JavaClassListing } from './java-listings';
import type { Invocation, JavaValue, RemoteObject } from './remote-values';

export type MethodTable = Readonly<Record<string, (args: readonly unknown[]) => JavaValue | Promise<JavaValue>>>;

export interface FieldAccess {
  get(): JavaValue;
  /** Field.set: throws IllegalArgumentException for a value of the wrong type; absent for final fields. */
  set?(value: unknown): void;
}

export interface RemoteObjectSpec {
  readonly listing: JavaClassListing;
  /** Instance methods by signature, e.g. "get(int)". */
  readonly methods?: MethodTable;
  /** Static methods by signature, callable on the object and on its java.lang.Class. */
  readonly statics?: MethodTable;
  readonly fields?: Readonly<Record<string, FieldAccess>>;
}

/** A remote object from a method table: listed methods without an implementation answer "not implemented". */
export function makeRemoteObject(spec: RemoteObjectSpec): RemoteObject {
  const className = spec.listing.class;
  return {
    listing: spec.listing,
    invoke(call: Invocation) {
      const implementation = spec.methods?.[call.signature] ?? spec.statics?.[call.signature];
      if (!implementation) throw new NotImplementedError(className, call.signature);
      return implementation(call.args);
    },
    getField(name) {
      const field = spec.fields?.[name];
      if (!field) throw new JavaServerError('java.lang.NoSuchFieldException', name, 'getField');
      return field.get();
    },
    setField(name, value) {
      const field = spec.fields?.[name];
      if (!field) throw new JavaServerError('java.lang.NoSuchFieldException', name, 'setField');
      if (!field.set)
        throw new JavaServerError('java.lang.IllegalAccessException', `Can not set final field ${className}.${name}`, 'setField');
      field.set(value);
    },
  };
}

/** The java.lang.Class that `get-class` hands out: only static methods can be called on it. */
export function makeClassObject(listing: JavaClassListing, statics: MethodTable = {}): RemoteObject {
  return {
    listing,
    invoke(call: Invocation) {
      const implementation = statics[call.signature];
      if (implementation) return implementation(call.args);
      // Instance methods invoked on the Class itself; unimplemented static ones land here too.
      throw new JavaServerError('java.lang.IllegalArgumentException', 'object is not an instance of declaring class', 'runMethod');
    },
    getField(name) {
      throw new JavaServerError('java.lang.NoSuchFieldException', name, 'getField');
    },
    setField(name) {
      throw new JavaServerError('java.lang.NoSuchFieldException', name, 'setField');
    },
  };
}
