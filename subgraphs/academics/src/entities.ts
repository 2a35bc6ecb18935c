import { EntrepreneurshipLab } from './modules/lab/lab.entity.ts';
import { PesantrenPlace, Programme } from './modules/programme/programme.entity.ts';
import { SantriRecordAccess } from './modules/records/record-access.entity.ts';
import { ConsentEvent, EnrolmentCount, PesantrenEnrolmentCount, PesantrenEnrolmentMargin, Santri, StatisticsRelease } from './modules/santri/santri.entity.ts';

export const entities = [Programme, PesantrenPlace, EntrepreneurshipLab, Santri, ConsentEvent, EnrolmentCount, PesantrenEnrolmentCount, PesantrenEnrolmentMargin, StatisticsRelease, SantriRecordAccess];
