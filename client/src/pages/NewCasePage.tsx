import { useState } from 'react';
import { CreateCaseBody } from '../../../shared/schemas/cases.js';
import { CaseFields, EMPTY_DRAFT, type CaseDraft } from '../components/CaseFields.js';
import { FormMessage } from '../components/Field.js';
import { api } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';
import { recheck, useFormSubmit } from '../lib/forms.js';
import { Link, navigate } from '../lib/router.js';
import { useTitle } from '../lib/useTitle.js';

/** Create a case; the creator becomes its owner and lands in its workspace. */
export function NewCasePage() {
  useTitle('New case');
  const { handleError } = useAuth();
  const [draft, setDraft] = useState<CaseDraft>(EMPTY_DRAFT);
  const { errors, setErrors, busy, submit } = useFormSubmit(
    CreateCaseBody,
    async (data) => {
      const { case: created } = await api.createCase(data);
      navigate(`/cases/${created.id}`);
    },
    handleError,
  );

  return (
    <div className="page narrow-page">
      <p className="breadcrumb">
        <Link to="/cases">My cases</Link> <span aria-hidden="true">/</span> New case
      </p>
      <h1 tabIndex={-1}>New case</h1>
      <p className="muted">
        Describe the plan&apos;s situation. You will become the case owner and can invite the team next.
      </p>
      <form className="card form-card" onSubmit={(e) => submit(e, draft)} noValidate>
        <FormMessage message={errors.message} />
        <CaseFields
          idPrefix="new"
          value={draft}
          onChange={(d) => {
            setDraft(d);
            setErrors((cur) => recheck(CreateCaseBody, d, cur));
          }}
          errors={errors.fields}
        />
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create case'}
          </button>
          <Link to="/cases" className="btn ghost">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
