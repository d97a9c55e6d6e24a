/** Rule results turned into catalogued findings, shared by the lab checks. */
export * from './virtual-service-findings';
export * from './destination-rule-findings';
export * from './subset-findings';
export * from './route-share-findings';
export * from './mix-findings';
export * from './routed-service';
