import { describe, expect, it } from 'vitest';
import { initialBallInCourt } from '../../src/items/open-item.js';

const ASKER = 'dana@contractor.example';
const isOurs = (address: string) => address.endsWith('@docket.localhost');

describe('initialBallInCourt', () => {
  it.each([
    {
      case: 'the RFI manager, whoever else was addressed',
      rfiManager: 'Rita@Architect.example',
      addressees: ['sam@architect.example'],
      managers: ['mia@gc.example'],
      expected: ['rita@architect.example'],
    },
    {
      case: 'the first addressee who is neither our inbox nor the asker',
      rfiManager: null,
      addressees: ['twr-a+rfi@docket.localhost', ASKER, 'Sam@Architect.example', 'lee@eng.example'],
      managers: ['mia@gc.example'],
      expected: ['sam@architect.example'],
    },
    {
      case: 'the addressees when the RFI manager is the asker (filing for someone)',
      rfiManager: ASKER,
      addressees: ['sam@architect.example'],
      managers: [],
      expected: ['sam@architect.example'],
    },
    {
      case: 'every manager when the mail named only our inbox',
      rfiManager: null,
      addressees: ['twr-a+rfi@docket.localhost'],
      managers: ['mia@gc.example', 'max@gc.example'],
      expected: ['mia@gc.example', 'max@gc.example'],
    },
    {
      case: 'the other managers when the asker is one',
      rfiManager: '  ',
      addressees: [],
      managers: [ASKER, 'mia@gc.example'],
      expected: ['mia@gc.example'],
    },
    {
      case: 'no one when no one is left',
      rfiManager: null,
      addressees: ['twr-a+rfi@docket.localhost', ''],
      managers: [ASKER],
      expected: [],
    },
  ])('$case', ({ rfiManager, addressees, managers, expected }) => {
    expect(initialBallInCourt({ rfiManager, addressees, asker: ASKER, isOurs, managers })).toEqual(
      expected,
    );
  });
});
