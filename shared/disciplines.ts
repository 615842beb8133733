/** The disciplines a Consilium user or team member can belong to, with labels for display. */
export const DISCIPLINES = [
  'oncology',
  'nursing',
  'pharmacy',
  'social_work',
  'palliative_care',
  'radiology',
  'pathology',
  'surgery',
  'primary_care',
  'case_management',
  'physical_therapy',
  'patient_advocate',
  'other',
] as const;

export type Discipline = (typeof DISCIPLINES)[number];

export const DISCIPLINE_LABELS: Record<Discipline, string> = {
  oncology: 'Oncology',
  nursing: 'Nursing',
  pharmacy: 'Pharmacy',
  social_work: 'Social work',
  palliative_care: 'Palliative care',
  radiology: 'Radiology',
  pathology: 'Pathology',
  surgery: 'Surgery',
  primary_care: 'Primary care',
  case_management: 'Case management',
  physical_therapy: 'Physical therapy',
  patient_advocate: 'Patient advocate',
  other: 'Other',
};
