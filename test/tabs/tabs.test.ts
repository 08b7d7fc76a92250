// Several real tabs of one origin in Chromium (playwright-core), against a page served from
// 127.0.0.1 and the mock service in this process. One browser and one page server serve every
// spec (each spec is one behaviour, in ./specs); each test opens its own browser context.
import { useTabs } from '../helpers/tabs.js';
import { closingTheSendingTabMidDrain } from './specs/closing-the-sending-tab-mid-drain.js';
import { noTokenInIndexedDb } from './specs/no-token-in-indexeddb.js';
import { offlinePausesOnlineDrains } from './specs/offline-pauses-online-drains.js';
import { quotaExceededIsAStoreError } from './specs/quota-exceeded-is-a-store-error.js';
import { reloadKeepsRecordsAndBackoff } from './specs/reload-keeps-records-and-backoff.js';
import { rolesDrainsAndPausesReachEveryTab } from './specs/roles-drains-and-pauses-reach-every-tab.js';
import { threeTabsSendEachRecordOnce } from './specs/three-tabs-send-each-record-once.js';

const tabs = useTabs();

threeTabsSendEachRecordOnce(tabs);
closingTheSendingTabMidDrain(tabs);
reloadKeepsRecordsAndBackoff(tabs);
offlinePausesOnlineDrains(tabs);
noTokenInIndexedDb(tabs);
quotaExceededIsAStoreError(tabs);
rolesDrainsAndPausesReachEveryTab(tabs);
