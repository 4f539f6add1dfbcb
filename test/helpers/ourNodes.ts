/** One instance of every node the two packages ship (the Nmbrs package's first), for tests over all of them. */
import type { INodeType } from 'n8n-workflow';

import { Nmbrs } from '../../packages/n8n-nodes-nmbrs/nodes/Nmbrs/Nmbrs.node';
import { NmbrsTrigger } from '../../packages/n8n-nodes-nmbrs/nodes/NmbrsTrigger/NmbrsTrigger.node';
import { VismaNetMapDimensions } from '../../nodes/VismaNetMapDimensions/VismaNetMapDimensions.node';
import { VismaNetPostJournal } from '../../nodes/VismaNetPostJournal/VismaNetPostJournal.node';
import { VismaNetSplitTwk } from '../../nodes/VismaNetSplitTwk/VismaNetSplitTwk.node';
import { VismaNetValidateJournal } from '../../nodes/VismaNetValidateJournal/VismaNetValidateJournal.node';

export const OUR_NODES: readonly INodeType[] = [
	new Nmbrs(),
	new NmbrsTrigger(),
	new VismaNetValidateJournal(),
	new VismaNetSplitTwk(),
	new VismaNetMapDimensions(),
	new VismaNetPostJournal(),
];
