import { describe, expect, it } from 'vitest';
import { fieldsOfIssues, parseEnrolmentForm, parseLabActivityForm, parseProgrammeForm, parseWithdrawalForm, today } from '../src/lib/academics.ts';

const PROGRAMME = '0b6f4a52-6a55-4a4e-9d1f-2f3b8c1e5d4a';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('the academic record forms, checked in the console before the academics subgraph', () => {
  it('enrols with only the consents whose box is ticked, and asks about a form number left without its tick', () => {
    const form = { programmeId: PROGRAMME, birthYear: '2011', gender: 'FEMALE', intakeYear: '2024', 'RESEARCH-given': 'on', 'RESEARCH-relationship': 'MOTHER', 'RESEARCH-evidence': ' FPW-2024-1 ', 'RESEARCH-grantedOn': '2024-07-15' };
    expect(parseEnrolmentForm(form, [PROGRAMME])).toEqual({
      input: { programmeId: PROGRAMME, birthYear: 2011, gender: 'FEMALE', intakeYear: 2024, guardianConsents: [{ purpose: 'RESEARCH', relationship: 'MOTHER', evidence: 'FPW-2024-1', grantedOn: '2024-07-15' }] },
      errors: {},
    });
    const halfDone = parseEnrolmentForm({ ...form, 'PROGRAMME_EVALUATION-evidence': 'FPW-2024-2' }, [PROGRAMME]);
    expect(Object.keys(halfDone.errors)).toEqual(['PROGRAMME_EVALUATION-given']);
  });

  it('says the format of every refused field: years, the age at intake, a programme not of this pesantren', () => {
    const { errors } = parseEnrolmentForm({ programmeId: 'another', birthYear: '11', gender: 'X', intakeYear: '2024' }, [PROGRAMME]);
    expect(Object.keys(errors).sort()).toEqual(['birthYear', 'gender', 'programmeId']);
    expect(errors['birthYear']?.id).toContain('mis. 2011');
    expect(parseEnrolmentForm({ programmeId: PROGRAMME, birthYear: '2022', gender: 'MALE', intakeYear: '2024' }, [PROGRAMME]).errors['birthYear']?.en).toContain('5 to 60');
  });

  it('takes real dates from 2000 up to today only, and names the format otherwise', () => {
    const withdrawnOn = (date: string) => parseWithdrawalForm({ withdrawPseudonymousId: PROGRAMME, withdrawPurpose: 'RESEARCH', withdrawnOn: date }).errors['withdrawnOn'];
    expect(withdrawnOn(today())).toBeUndefined();
    expect(withdrawnOn('2024-02-30')?.id).toContain('Tanggal tidak terbaca');
    expect(withdrawnOn('15/07/2024')?.en).toContain('YYYY-MM-DD');
    expect(withdrawnOn(inDays(2))?.id).toContain('masa depan');
    expect(withdrawnOn('1999-12-31')?.id).toContain('2000');
    expect(parseWithdrawalForm({ withdrawPseudonymousId: 'Siti Aminah', withdrawPurpose: 'RESEARCH', withdrawnOn: today() }).errors['withdrawPseudonymousId']?.id).toContain('36 karakter');
  });

  it('needs a lab’s focus, a name of 3 characters or more, and participants as a whole number', () => {
    expect(parseProgrammeForm({ kind: 'ENTREPRENEURSHIP_LAB', name: 'Lab' }).errors).toEqual({ labFocus: expect.anything() });
    expect(parseProgrammeForm({ kind: 'MA', name: '  ', labFocus: 'CRAFTS' })).toMatchObject({ input: { labFocus: null }, errors: { name: expect.anything() } });
    expect(Object.keys(parseLabActivityForm({ kind: 'TRAINING', titleIndonesian: 'Bimtek', on: today(), participants: '2,5' }).errors)).toEqual(['participants']);
  });

  it('puts the subgraph’s refusals on the fields they name', () => {
    const issues = [{ field: 'input.guardianConsents.0.evidence', message: 'must be at most 60 characters' }, { field: 'input.regencyCode', message: 'wrong regency' }];
    // As the enrolment page does: a consent's problem goes to the fields of the purpose at that index; a field the form lacks, to none.
    const purposes = ['RESEARCH'];
    expect(fieldsOfIssues(issues, ([root, field, index, consentField]) => (field === 'guardianConsents' ? `${purposes[Number(index)]}-${consentField}` : root === 'input' && field === 'name' ? field : null))).toEqual({
      'RESEARCH-evidence': { id: 'Paling panjang 60 karakter.', en: 'At most 60 characters.' },
    });
  });
});
