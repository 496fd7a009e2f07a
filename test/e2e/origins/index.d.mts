// Types for the framework origins (plain ESM, so decorators and untyped frameworks need no build step).
export interface RunningFrameworkOrigin {
  readonly url: string;
  close(): Promise<unknown>;
}

export declare function startExpressOrigin(): Promise<RunningFrameworkOrigin>;
export declare function startFastifyOrigin(): Promise<RunningFrameworkOrigin>;
export declare function startHapiOrigin(): Promise<RunningFrameworkOrigin>;
export declare function startKoaOrigin(): Promise<RunningFrameworkOrigin>;
export declare function startNestOrigin(): Promise<RunningFrameworkOrigin>;
export declare function startApolloOrigin(): Promise<RunningFrameworkOrigin>;
