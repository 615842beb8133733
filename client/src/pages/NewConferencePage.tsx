import { ConferenceForm } from '../components/conferences/ConferenceForm.js';
import { useAuth } from '../lib/auth.js';
import { Link, navigate } from '../lib/router.js';
import { useTitle } from '../lib/useTitle.js';

/** Plan a conference, or open a poll to find its time; the organizer lands on its page. */
export function NewConferencePage() {
  useTitle('New conference');
  const { handleError } = useAuth();
  return (
    <div className="page conf-form-page">
      <p className="breadcrumb">
        <Link to="/conferences">Conferences</Link> <span aria-hidden="true">/</span> New conference
      </p>
      <h1 tabIndex={-1}>New conference</h1>
      <p className="muted">Invitees are told at once. With a poll, they answer each proposed time and you pick the best one.</p>
      <ConferenceForm onCreated={(c) => navigate(`/conferences/${c.id}`)} onError={handleError} />
    </div>
  );
}
