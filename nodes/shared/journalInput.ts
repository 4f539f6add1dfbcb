/**
 * What a node reads as the journal of an item: the canonical JSON as it is, or the Nmbrs journal
 * XML (from a JSON field or a binary property) turned into canonical lines beside the item's
 * `reference`, `company` and `run` (journal-contract §2).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { capIssues, createIssue, referenceOf, type Issue } from '../core/issues';
import { readNmbrsJournalXml } from '../core/nmbrsXml';
import { decodeXmlBytes } from '../core/xmlScanner';

export type InputFormat = 'canonical' | 'nmbrsXml';
export type XmlSource = 'jsonField' | 'binary';

export interface JournalInputOptions {
	readonly inputFormat: InputFormat;
	readonly xmlSource: XmlSource;
	readonly xmlField: string;
	readonly binaryProperty: string;
}

export type JournalInput = { ok: true; json: IDataObject } | { ok: false; issues: Issue[] };

export async function readJournalInput(
	context: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	options: JournalInputOptions,
): Promise<JournalInput> {
	if (options.inputFormat === 'canonical') return { ok: true, json: item.json };
	let xml: unknown;
	let source: string;
	if (options.xmlSource === 'binary') {
		source = `binary.${options.binaryProperty}`;
		if (!item.binary?.[options.binaryProperty]) {
			return {
				ok: false,
				issues: [
					createIssue(
						'XML_MISSING',
						{ reference: referenceOf(item.json), path: source },
						`the item has no binary property "${options.binaryProperty}" with the Nmbrs journal XML.`,
						'Set Binary Property to the name the file arrives under (often "data").',
					),
				],
			};
		}
		// Decoded as the XML declares, strictly: bytes that are not what it says are an issue, never U+FFFD.
		const decoded = decodeXmlBytes(
			await context.helpers.getBinaryDataBuffer(itemIndex, options.binaryProperty),
			source,
		);
		if ('issue' in decoded) return { ok: false, issues: [decoded.issue] };
		xml = decoded.text;
	} else {
		source = options.xmlField;
		xml = item.json[options.xmlField];
	}
	const read = readNmbrsJournalXml(xml, source);
	if (read.issues.length > 0)
		return { ok: false, issues: capIssues(read.issues, referenceOf(item.json)) };
	const rest: IDataObject = { ...item.json };
	if (options.xmlSource === 'jsonField') delete rest[options.xmlField];
	return { ok: true, json: { ...rest, lines: read.lines as unknown as IDataObject[] } };
}
