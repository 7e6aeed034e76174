/**
 * What a `run:` step gives the project's action function as its second
 * argument. Actions live in `actions/index.ts`:
 *
 *   export async function enrichFlight(args: { flight: string }, ctx: ActionContext) { … }
 *
 * The first argument is the step's `with:` value as computed (it is not
 * validated against the function's parameter type). The return value becomes
 * the step's output, converted to JSON like every step output.
 */
export interface ActionContext {
  readonly env: Cloudflare.Env;
  readonly instanceId: string;
  readonly flow: string;
  /** The durable step name: the step id, prefixed per iteration inside for_each and repeat, so it can serve as an idempotency key. */
  readonly stepId: string;
}

/** Any exported action: a function of `(args, ctx)`. */
export type Action<A> = (args: A, ctx: ActionContext) => unknown;

/**
 * Calls an action with the computed `with:` value. The cast is deliberate: the
 * YAML value's type is only known at run time, and the action owns the
 * checking of its own arguments.
 */
export async function runAction<A>(action: Action<A>, args: unknown, ctx: ActionContext): Promise<unknown> {
  return await action(args as A, ctx);
}
