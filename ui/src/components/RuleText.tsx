/**
 * A sentence from the hub with its rule codes ("… select an existing group (C4)") as people read
 * it: the codes leave the text and stay in a tooltip for whoever wants the rule (issue 17 point 5).
 */
import { splitRules } from './ruleText';

export function RuleText({ text }: { text: string }) {
  const { words, rules } = splitRules(text);
  if (rules.length === 0) return <>{words}</>;
  return <span title={`Rule ${rules.join(', ')}`}>{words}</span>;
}
