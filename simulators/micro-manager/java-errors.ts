/**
 * The two shapes of the real server's `exception` replies. An exception thrown by the invoked Java method is
 * serialized by ZMQUtil.toJSON: its text, then one stack frame a line without "\tat " (MMCore errors look so).
 * An exception in the server's own handling (unknown command, unknown hash-code, no matching overload, bad
 * argument) goes through printStackTrace: frames prefixed with "\tat ".
 */

const REFLECTION_FRAMES = [
  'java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
  'java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)',
  'java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)',
  'java.base/java.lang.reflect.Method.invoke(Method.java:569)',
  'org.micromanager.pyjavaz.ZMQServer.runMethod(ZMQServer.java:454)',
];

const COMMAND_FRAME = 'org.micromanager.pyjavaz.ZMQServer.parseAndExecuteCommand(ZMQServer.java:536)';
const THREAD_FRAMES = [
  'org.micromanager.pyjavaz.ZMQServer.lambda$initialize$3(ZMQServer.java:144)',
  'java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:539)',
  'java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)',
  'java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
  'java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)',
  'java.base/java.lang.Thread.run(Thread.java:840)',
];
const SERVER_THREAD_FRAMES = [COMMAND_FRAME, ...THREAD_FRAMES];

/** Where in the server a server-side failure happens: the frames above the request loop. */
const SERVER_SITES = {
  runMethod: ['org.micromanager.pyjavaz.ZMQServer.runMethod(ZMQServer.java:393)', COMMAND_FRAME],
  matchMethod: ['org.micromanager.pyjavaz.ZMQServer.runMethod(ZMQServer.java:436)', COMMAND_FRAME],
  arguments: [
    'org.micromanager.pyjavaz.ZMQServer.getArgumentSignatures(ZMQServer.java:264)',
    'org.micromanager.pyjavaz.ZMQServer.runMethod(ZMQServer.java:397)',
    COMMAND_FRAME,
  ],
  getField: [
    'org.micromanager.pyjavaz.ZMQServer.getField(ZMQServer.java:196)',
    'org.micromanager.pyjavaz.ZMQServer.parseAndExecuteCommand(ZMQServer.java:547)',
  ],
  setField: [
    'org.micromanager.pyjavaz.ZMQServer.setField(ZMQServer.java:208)',
    'org.micromanager.pyjavaz.ZMQServer.parseAndExecuteCommand(ZMQServer.java:553)',
  ],
  loadClass: [
    'org.micromanager.pyjavaz.ZMQUtil.loadClass(ZMQUtil.java:421)',
    'org.micromanager.pyjavaz.ZMQServer.parseAndExecuteCommand(ZMQServer.java:509)',
  ],
  command: ['org.micromanager.pyjavaz.ZMQServer.parseAndExecuteCommand(ZMQServer.java:569)'],
  message: ['org.micromanager.pyjavaz.ZMQSocketWrapper.receiveMessage(ZMQSocketWrapper.java:219)'],
} as const;

export type ServerSite = keyof typeof SERVER_SITES;

/** Thrown by a simulated Java method: becomes an exception reply in ZMQUtil.toJSON's shape. */
export class JavaMethodError extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
  ) {
    super(message);
  }
}

/** An MMCore error: `java.lang.Exception` with MMCore's own message. */
export class CoreError extends JavaMethodError {
  override readonly name = 'CoreError';
  constructor(message: string) {
    super('java.lang.Exception', message);
  }
}

/** A CMMCore (or JDK) method that exists in the Java API but that the simulator does not implement. */
export class NotImplementedError extends JavaMethodError {
  constructor(className: string, signature: string) {
    super('java.lang.UnsupportedOperationException', `${className}.${signature} is not implemented by the simulated Micro-Manager`);
  }
}

/** A failure in the server's own handling of a request: becomes an exception reply in printStackTrace's shape. */
export class JavaServerError extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
    readonly site: ServerSite,
  ) {
    super(message);
  }
}

function headLine(javaClass: string, message: string): string {
  return message ? `${javaClass}: ${message}` : javaClass;
}

/** Stack frames of a method of an MMCoreJ (SWIG) class: the JNI call, then the Java wrapper. */
function methodFrames(className: string, method: string, sourceLine: number): string[] {
  if (!className.startsWith('mmcorej.')) return [`${className}.${method}(${className.split('.').pop()}.java:${sourceLine})`];
  const simple = className.slice('mmcorej.'.length);
  return [`mmcorej.MMCoreJJNI.${simple}_${method}(Native Method)`, `mmcorej.${simple}.${method}(${simple}.java:${sourceLine})`];
}

export function methodExceptionText(error: JavaMethodError, className: string, method: string, sourceLine: number): string {
  const lines = [
    headLine(error.javaClass, error.message),
    ...methodFrames(className, method, sourceLine),
    ...REFLECTION_FRAMES,
    ...SERVER_THREAD_FRAMES,
  ];
  return lines.join('\n') + '\n';
}

export function serverExceptionText(error: JavaServerError): string {
  const frames = [...SERVER_SITES[error.site], ...THREAD_FRAMES];
  return [headLine(error.javaClass, error.message), ...frames.map((f) => `\tat ${f}`)].join('\n') + '\n';
}
