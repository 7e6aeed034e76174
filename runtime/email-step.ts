import { NonRetryableError } from "./errors.ts";
import { str } from "./expr-values.ts";

/**
 * The `email:` step: one message through the Worker's `send_email` binding
 * (`EMAIL`, added to wrangler.jsonc by the generator). The generated code
 * calls this inside the step's step.do, so a message is sent once.
 */

/** The step's fields as computed from the YAML; checked here. */
export interface EmailFields {
  readonly to: unknown;
  readonly from: unknown;
  readonly subject: unknown;
  readonly text?: unknown;
  readonly html?: unknown;
  readonly cc?: unknown;
  readonly bcc?: unknown;
  readonly replyTo?: unknown;
}

/** A message that can never be sent (no recipient, no sender): retrying cannot fix it. */
export class EmailStepError extends NonRetryableError {}

export async function sendEmail(binding: SendEmail, stepId: string, fields: EmailFields): Promise<null> {
  const fail = (problem: string): never => {
    throw new EmailStepError(`email ${stepId}: ${problem}`);
  };
  const to = addresses(fields.to) ?? fail("`to` must be an e-mail address or a non-empty list of them");
  const from = typeof fields.from === "string" && fields.from.trim() !== "" ? fields.from : fail("`from` must be an e-mail address");
  const cc = fields.cc === undefined || fields.cc === null ? undefined : (addresses(fields.cc) ?? fail("`cc` must be an e-mail address or a list of them"));
  const bcc = fields.bcc === undefined || fields.bcc === null ? undefined : (addresses(fields.bcc) ?? fail("`bcc` must be an e-mail address or a list of them"));
  const replyTo = fields.replyTo === undefined || fields.replyTo === null ? undefined : str(fields.replyTo);
  const text = optionalText(fields.text);
  const html = optionalText(fields.html);
  const subject = str(fields.subject);
  // Header fields built from input must not smuggle in extra headers.
  for (const [name, value] of [["subject", subject], ["from", from], ["reply_to", replyTo], ["to", to], ["cc", cc], ["bcc", bcc]] as const) {
    const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
    if (values.some((v) => /[\r\n]/.test(v))) fail(`\`${name}\` contains a line break, which a mail header cannot carry`);
  }
  await binding.send({
    to,
    from,
    subject,
    // A message needs a body; an empty text part is what an author who wrote none would expect.
    ...(text !== undefined || html === undefined ? { text: text ?? "" } : {}),
    ...(html !== undefined ? { html } : {}),
    ...(cc ? { cc } : {}),
    ...(bcc ? { bcc } : {}),
    ...(replyTo ? { replyTo } : {}),
  });
  return null;
}

/** One address stays a string, a list stays a list (what the author wrote is what the binding gets). */
function addresses(value: unknown): string | string[] | undefined {
  const isAddress = (a: unknown): a is string => typeof a === "string" && a.trim() !== "";
  if (isAddress(value)) return value;
  if (Array.isArray(value) && value.length > 0 && value.every(isAddress)) return value;
  return undefined;
}

function optionalText(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : str(value);
}
