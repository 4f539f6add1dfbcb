/**
 * searchOptions, behind every picker's list (Nmbrs Company and Run, Map Dimensions' dimensions,
 * Post's Ledger and Branch): case-insensitive on name and ID, one pass, pages of bounded size.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { LIST_SEARCH_PAGE_SIZE, searchOptions } from '../../../nodes/shared/listSearch';

const companies: INodePropertyOptions[] = Array.from({ length: 250 }, (_, index) => ({
	name: `${index % 2 ? 'Bakkerij' : 'Kapsalon'} ${index} BV (${1000 + index})`,
	value: String(1000 + index),
	...(index === 0 ? { description: 'Company number 1' } : {}),
}));

describe('searchOptions', () => {
	it('without a search: every option, in order, as name, value (a string) and description', () => {
		const options: INodePropertyOptions[] = [
			{ name: '(Company default)', value: '' },
			{ name: 'ACTUAL – Actual ledger', value: 'ACTUAL', description: 'Actual' },
			{ name: 'Run 7', value: 88121 },
		];
		expect(searchOptions(options)).toEqual({
			results: [
				{ name: '(Company default)', value: '' },
				{ name: 'ACTUAL – Actual ledger', value: 'ACTUAL', description: 'Actual' },
				{ name: 'Run 7', value: '88121' },
			],
		});
		expect(searchOptions(options, '   ')).toEqual(searchOptions(options));
	});

	it('narrows by name or by value (the ID), case-insensitively, ignoring spaces around the search', () => {
		const options: INodePropertyOptions[] = [
			{ name: 'Hoofdvestiging', value: 'MAIN' },
			{ name: 'Filiaal Utrecht', value: 'WEST' },
		];
		expect(searchOptions(options, '  UTRECHT ').results.map((entry) => entry.value)).toEqual([
			'WEST',
		]);
		expect(searchOptions(options, 'main').results.map((entry) => entry.value)).toEqual(['MAIN']);
		expect(searchOptions(options, 'i').results.map((entry) => entry.value)).toEqual([
			'MAIN',
			'WEST',
		]);
		// Not across name and value: "vestiging main" is in neither.
		expect(searchOptions(options, 'vestiging main').results).toEqual([]);
		// Not by the description, unless asked (alsoMatch).
		expect(
			searchOptions(
				[{ name: 'Kostenplaats', value: 'Kostenplaats', description: 'Segment 1' }],
				'segment 1',
			).results,
		).toEqual([]);
		expect(
			searchOptions(
				[{ name: 'Kostenplaats', value: 'Kostenplaats', description: 'Segment 1' }],
				'SEGMENT 1',
				undefined,
				{ alsoMatch: (option) => option.description ?? '' },
			).results,
		).toHaveLength(1);
	});

	it('answers a page of at most LIST_SEARCH_PAGE_SIZE entries, and the pages together are the whole list, once', () => {
		expect(LIST_SEARCH_PAGE_SIZE).toBe(100);
		const pages = [];
		let token: string | undefined;
		do {
			const page = searchOptions(companies, undefined, token);
			expect(page.results.length).toBeLessThanOrEqual(LIST_SEARCH_PAGE_SIZE);
			pages.push(page.results);
			token = page.paginationToken;
		} while (token !== undefined);
		expect(pages.map((page) => page.length)).toEqual([100, 100, 50]);
		expect(pages.flat().map((entry) => entry.value)).toEqual(
			companies.map((option) => option.value),
		);
	});

	it('pages a search too: only matches, each once', () => {
		const first = searchOptions(companies, 'bakkerij', undefined, { pageSize: 60 });
		expect(first.results).toHaveLength(60);
		const second = searchOptions(companies, 'bakkerij', first.paginationToken, { pageSize: 60 });
		const third = searchOptions(companies, 'bakkerij', second.paginationToken, { pageSize: 60 });
		expect(third.paginationToken).toBeUndefined();
		const values = [...first.results, ...second.results, ...third.results].map(
			(entry) => entry.value,
		);
		expect(values).toEqual(
			companies
				.filter((option) => option.name.startsWith('Bakkerij'))
				.map((option) => option.value),
		);
	});

	it('is one pass: each option is looked at once per page, and a page stops when it is full', () => {
		let looked = 0;
		const alsoMatch = () => {
			looked++;
			return '';
		};
		searchOptions(companies, 'no such company', undefined, { alsoMatch });
		expect(looked).toBe(companies.length);
		looked = 0;
		const page = searchOptions(companies, undefined, undefined, { alsoMatch, pageSize: 10 });
		expect(page.results).toHaveLength(10);
		expect(looked).toBe(0); // no search: nothing to compare
		looked = 0;
		searchOptions(companies, '10', undefined, { alsoMatch, pageSize: 10 });
		expect(looked).toBeLessThan(companies.length);
	});

	it('takes a pagination token only as a number; anything else starts from the top', () => {
		expect(searchOptions(companies, undefined, 'garbage').results[0].value).toBe('1000');
		expect(searchOptions(companies, undefined, '-5').results[0].value).toBe('1000');
		expect(searchOptions(companies, undefined, '249').results.map((entry) => entry.value)).toEqual([
			'1249',
		]);
		expect(searchOptions(companies, undefined, '999')).toEqual({ results: [] });
	});
});
