/**
 * A bulk import of people, one request per person, with progress and what failed per line (the
 * hub's own message: e.g. an e-mail already in use). Stoppable half-way.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { TextAreaField } from '../../components/Field';
import { Notice } from '../../components/Notice';
import { Progress } from '../../components/Progress';
import { parsePeopleCsv } from './peopleCsv';

interface Outcome {
  added: number;
  failures: { line: number; problem: string }[];
}

export function ImportPeople() {
  const api = useApi();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const [done, setDone] = useState(0);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const stop = useRef(false);
  const parsed = parsePeopleCsv(text);

  const run = async () => {
    stop.current = false;
    setRunning(true);
    setDone(0);
    const result: Outcome = { added: 0, failures: [] };
    for (const person of parsed.people) {
      if (stop.current) break;
      try {
        await api.people.create({ name: person.name, email: person.email });
        result.added += 1;
      } catch (error) {
        result.failures.push({ line: person.line, problem: describeError(error) });
      }
      setDone((n) => n + 1);
    }
    setOutcome(result);
    setRunning(false);
    void client.invalidateQueries({ queryKey: ['people'] });
  };

  return (
    <div className="card form" role="region" aria-label="Import people">
      <TextAreaField
        label="People to import"
        rows={6}
        value={text}
        onChange={(e) => setText(e.target.value)}
        hint="One person a line: name and e-mail, separated by a comma, semicolon or tab."
        problem={
          parsed.problems.length > 0 ? parsed.problems.map((p) => `Line ${p.line}: ${p.problem}`).join('; ') : undefined
        }
        disabled={running}
      />
      {running ? (
        <>
          <Progress label="Importing" done={done} total={parsed.people.length} />
          <Button onClick={() => (stop.current = true)}>Stop</Button>
        </>
      ) : (
        <Button variant="primary" onClick={() => void run()} disabled={parsed.people.length === 0}>
          Import {parsed.people.length} {parsed.people.length === 1 ? 'person' : 'people'}
        </Button>
      )}
      {outcome && (
        <Notice
          tone={outcome.failures.length ? 'warning' : 'success'}
          title={`${outcome.added} added${outcome.failures.length ? `, ${outcome.failures.length} not` : ''}.`}
        >
          {outcome.failures.length > 0 && (
            <ul>
              {outcome.failures.map((f) => (
                <li key={f.line}>
                  Line {f.line}: {f.problem}
                </li>
              ))}
            </ul>
          )}
        </Notice>
      )}
    </div>
  );
}
