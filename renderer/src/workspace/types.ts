import type { ResponseOf } from '../../../shared/ipc/contract';

export type ListedItem = ResponseOf<'items.list'>[number];
export type CaseData = ResponseOf<'cases.get'>;
