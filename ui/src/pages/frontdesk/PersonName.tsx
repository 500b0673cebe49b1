import { Link } from 'react-router';
import { usePerson } from '../../api/hooks';

/** A person's name linking to their page, by id (cached, so a table of bookings asks once per person). */
export function PersonName({ id }: { id: number }) {
  const person = usePerson(id);
  return (
    <Link to={`/desk/people/${id}`}>{person.data?.name ?? (person.isError ? 'someone no longer listed' : '…')}</Link>
  );
}
