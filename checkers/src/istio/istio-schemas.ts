import { z } from 'zod';

/**
 * Lenient zod schemas of the Istio objects checks read (networking, security, telemetry at v1).
 * Objects come from a learner's cluster and were already accepted by the CRD schema, so these
 * only describe the fields checks use: everything is optional where Istio allows it, unknown
 * fields pass through (`looseObject`) and a newer Istio adding fields never breaks a check.
 */

const labels = z.record(z.string(), z.string());
const percent = z.looseObject({ value: z.number().optional() });

export const objectMetaSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().default(''),
  labels: labels.optional(),
  annotations: labels.optional(),
  creationTimestamp: z.union([z.string(), z.date()]).optional(),
  generation: z.number().optional(),
  resourceVersion: z.string().optional(),
});

export const stringMatchSchema = z.looseObject({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  regex: z.string().optional(),
});
export type StringMatch = z.infer<typeof stringMatchSchema>;

export const destinationSchema = z.looseObject({
  host: z.string(),
  subset: z.string().optional(),
  port: z.looseObject({ number: z.number().int().optional() }).optional(),
});
export type Destination = z.infer<typeof destinationSchema>;

export const httpMatchSchema = z.looseObject({
  name: z.string().optional(),
  uri: stringMatchSchema.optional(),
  method: stringMatchSchema.optional(),
  authority: stringMatchSchema.optional(),
  headers: z.record(z.string(), stringMatchSchema).optional(),
  queryParams: z.record(z.string(), stringMatchSchema).optional(),
  gateways: z.array(z.string()).optional(),
  port: z.number().int().optional(),
  sourceLabels: labels.optional(),
  sourceNamespace: z.string().optional(),
});
export type HttpMatch = z.infer<typeof httpMatchSchema>;

export const httpRouteDestinationSchema = z.looseObject({
  destination: destinationSchema,
  weight: z.number().int().optional(),
  headers: z.unknown().optional(),
});
export type HttpRouteDestination = z.infer<typeof httpRouteDestinationSchema>;

export const httpFaultSchema = z.looseObject({
  delay: z
    .looseObject({
      fixedDelay: z.string().optional(),
      percentage: percent.optional(),
      /** Deprecated integer percentage; istiod reads it when `percentage` is absent. */
      percent: z.number().int().optional(),
    })
    .optional(),
  abort: z
    .looseObject({
      httpStatus: z.number().int().optional(),
      grpcStatus: z.string().optional(),
      percentage: percent.optional(),
    })
    .optional(),
});

export const httpRouteSchema = z.looseObject({
  name: z.string().optional(),
  match: z.array(httpMatchSchema).optional(),
  route: z.array(httpRouteDestinationSchema).optional(),
  redirect: z.unknown().optional(),
  directResponse: z.unknown().optional(),
  delegate: z.unknown().optional(),
  timeout: z.string().optional(),
  retries: z
    .looseObject({
      attempts: z.number().int().optional(),
      perTryTimeout: z.string().optional(),
      retryOn: z.string().optional(),
    })
    .optional(),
  fault: httpFaultSchema.optional(),
  mirror: destinationSchema.optional(),
  mirrorPercentage: percent.optional(),
  mirrors: z.array(z.looseObject({ destination: destinationSchema, percentage: percent.optional() })).optional(),
  rewrite: z.unknown().optional(),
});
export type HttpRoute = z.infer<typeof httpRouteSchema>;

export const virtualServiceSpecSchema = z.looseObject({
  hosts: z.array(z.string()).default([]),
  gateways: z.array(z.string()).optional(),
  http: z.array(httpRouteSchema).optional(),
  tcp: z.array(z.unknown()).optional(),
  tls: z.array(z.unknown()).optional(),
  exportTo: z.array(z.string()).optional(),
});

const trafficPolicySchema = z.looseObject({
  loadBalancer: z
    .looseObject({
      simple: z.string().optional(),
      consistentHash: z
        .looseObject({
          httpHeaderName: z.string().optional(),
          httpCookie: z.looseObject({ name: z.string().optional() }).optional(),
          useSourceIp: z.boolean().optional(),
          httpQueryParameterName: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  connectionPool: z
    .looseObject({
      tcp: z.looseObject({ maxConnections: z.number().int().optional() }).optional(),
      http: z
        .looseObject({
          http1MaxPendingRequests: z.number().int().optional(),
          http2MaxRequests: z.number().int().optional(),
          maxRequestsPerConnection: z.number().int().optional(),
        })
        .optional(),
    })
    .optional(),
  outlierDetection: z
    .looseObject({
      consecutive5xxErrors: z.number().int().optional(),
      consecutiveGatewayErrors: z.number().int().optional(),
      interval: z.string().optional(),
      baseEjectionTime: z.string().optional(),
      maxEjectionPercent: z.number().int().optional(),
    })
    .optional(),
  tls: z.looseObject({ mode: z.string().optional() }).optional(),
});

export const destinationRuleSpecSchema = z.looseObject({
  host: z.string(),
  trafficPolicy: trafficPolicySchema.optional(),
  subsets: z
    .array(z.looseObject({ name: z.string(), labels: labels.optional(), trafficPolicy: trafficPolicySchema.optional() }))
    .optional(),
  exportTo: z.array(z.string()).optional(),
  workloadSelector: z.looseObject({ matchLabels: labels.optional() }).optional(),
});

export const gatewayServerSchema = z.looseObject({
  port: z.looseObject({
    number: z.number().int(),
    protocol: z.string().optional(),
    name: z.string().optional(),
    targetPort: z.number().int().optional(),
  }),
  hosts: z.array(z.string()).default([]),
  tls: z.unknown().optional(),
  name: z.string().optional(),
});
export type GatewayServer = z.infer<typeof gatewayServerSchema>;

export const gatewaySpecSchema = z.looseObject({
  selector: labels.optional(),
  servers: z.array(gatewayServerSchema).default([]),
});

export const serviceEntrySpecSchema = z.looseObject({
  hosts: z.array(z.string()).default([]),
  addresses: z.array(z.string()).optional(),
  ports: z
    .array(
      z.looseObject({
        number: z.number().int(),
        protocol: z.string().optional(),
        name: z.string().optional(),
        targetPort: z.number().int().optional(),
      }),
    )
    .optional(),
  location: z.string().optional(),
  resolution: z.string().optional(),
  endpoints: z.array(z.unknown()).optional(),
  exportTo: z.array(z.string()).optional(),
});

export const sidecarSpecSchema = z.looseObject({
  workloadSelector: z.looseObject({ labels: labels.optional() }).optional(),
  egress: z.array(z.unknown()).optional(),
  ingress: z.array(z.unknown()).optional(),
  outboundTrafficPolicy: z.looseObject({ mode: z.string().optional() }).optional(),
});

const workloadSelectorSchema = z.looseObject({ matchLabels: labels.optional() });

export const peerAuthenticationSpecSchema = z.looseObject({
  selector: workloadSelectorSchema.optional(),
  mtls: z.looseObject({ mode: z.string().optional() }).optional(),
  portLevelMtls: z.record(z.string(), z.looseObject({ mode: z.string().optional() })).optional(),
});

export const requestAuthenticationSpecSchema = z.looseObject({
  selector: workloadSelectorSchema.optional(),
  targetRef: z.unknown().optional(),
  targetRefs: z.array(z.unknown()).optional(),
  jwtRules: z
    .array(
      z.looseObject({
        issuer: z.string().optional(),
        audiences: z.array(z.string()).optional(),
        jwksUri: z.string().optional(),
        jwks: z.string().optional(),
        forwardOriginalToken: z.boolean().optional(),
        outputPayloadToHeader: z.string().optional(),
      }),
    )
    .optional(),
});

const stringList = z.array(z.string()).optional();

export const authorizationRuleSchema = z.looseObject({
  from: z
    .array(
      z.looseObject({
        source: z
          .looseObject({
            principals: stringList,
            notPrincipals: stringList,
            requestPrincipals: stringList,
            notRequestPrincipals: stringList,
            namespaces: stringList,
            notNamespaces: stringList,
            serviceAccounts: stringList,
            notServiceAccounts: stringList,
            ipBlocks: stringList,
            remoteIpBlocks: stringList,
          })
          .optional(),
      }),
    )
    .optional(),
  to: z
    .array(
      z.looseObject({
        operation: z
          .looseObject({
            hosts: stringList,
            notHosts: stringList,
            ports: stringList,
            notPorts: stringList,
            methods: stringList,
            notMethods: stringList,
            paths: stringList,
            notPaths: stringList,
          })
          .optional(),
      }),
    )
    .optional(),
  when: z.array(z.looseObject({ key: z.string(), values: stringList, notValues: stringList })).optional(),
});
export type AuthorizationRule = z.infer<typeof authorizationRuleSchema>;

export const authorizationPolicySpecSchema = z.looseObject({
  selector: workloadSelectorSchema.optional(),
  action: z.string().optional(),
  rules: z.array(authorizationRuleSchema).optional(),
  provider: z.unknown().optional(),
});

const providerRefs = z.array(z.looseObject({ name: z.string().optional() })).optional();

export const telemetrySpecSchema = z.looseObject({
  selector: workloadSelectorSchema.optional(),
  tracing: z
    .array(
      z.looseObject({
        providers: providerRefs,
        randomSamplingPercentage: z.number().optional(),
        customTags: z.record(z.string(), z.unknown()).optional(),
        disableSpanReporting: z.boolean().optional(),
        disableContextPropagation: z.boolean().optional(),
      }),
    )
    .optional(),
  metrics: z
    .array(
      z.looseObject({
        providers: providerRefs,
        overrides: z
          .array(
            z.looseObject({
              match: z.unknown().optional(),
              disabled: z.boolean().optional(),
              tagOverrides: z
                .record(z.string(), z.looseObject({ operation: z.string().optional(), value: z.string().optional() }))
                .optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  accessLogging: z
    .array(
      z.looseObject({
        providers: providerRefs,
        match: z.looseObject({ mode: z.string().optional() }).optional(),
        filter: z.looseObject({ expression: z.string().optional() }).optional(),
        disabled: z.boolean().optional(),
      }),
    )
    .optional(),
});

/** A namespaced Istio object whose spec is validated by `spec`. */
export function istioObjectSchema<S extends z.ZodType>(spec: S) {
  return z.looseObject({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: objectMetaSchema,
    spec,
    status: z.unknown().optional(),
  });
}

export const virtualServiceSchema = istioObjectSchema(virtualServiceSpecSchema);
export type VirtualService = z.infer<typeof virtualServiceSchema>;
export const destinationRuleSchema = istioObjectSchema(destinationRuleSpecSchema);
export type DestinationRule = z.infer<typeof destinationRuleSchema>;
export const gatewaySchema = istioObjectSchema(gatewaySpecSchema);
export type Gateway = z.infer<typeof gatewaySchema>;
export const serviceEntrySchema = istioObjectSchema(serviceEntrySpecSchema);
export type ServiceEntry = z.infer<typeof serviceEntrySchema>;
export const sidecarSchema = istioObjectSchema(sidecarSpecSchema);
export type Sidecar = z.infer<typeof sidecarSchema>;
export const peerAuthenticationSchema = istioObjectSchema(peerAuthenticationSpecSchema);
export type PeerAuthentication = z.infer<typeof peerAuthenticationSchema>;
export const requestAuthenticationSchema = istioObjectSchema(requestAuthenticationSpecSchema);
export type RequestAuthentication = z.infer<typeof requestAuthenticationSchema>;
export const authorizationPolicySchema = istioObjectSchema(authorizationPolicySpecSchema);
export type AuthorizationPolicy = z.infer<typeof authorizationPolicySchema>;
export const telemetrySchema = istioObjectSchema(telemetrySpecSchema);
export type Telemetry = z.infer<typeof telemetrySchema>;

/** Where each Istio kind lives in the API (read at v1; docs/check-probes.md). */
export const istioKinds = {
  VirtualService: { apiVersion: 'networking.istio.io/v1', plural: 'virtualservices', schema: virtualServiceSchema },
  DestinationRule: { apiVersion: 'networking.istio.io/v1', plural: 'destinationrules', schema: destinationRuleSchema },
  Gateway: { apiVersion: 'networking.istio.io/v1', plural: 'gateways', schema: gatewaySchema },
  ServiceEntry: { apiVersion: 'networking.istio.io/v1', plural: 'serviceentries', schema: serviceEntrySchema },
  Sidecar: { apiVersion: 'networking.istio.io/v1', plural: 'sidecars', schema: sidecarSchema },
  PeerAuthentication: {
    apiVersion: 'security.istio.io/v1',
    plural: 'peerauthentications',
    schema: peerAuthenticationSchema,
  },
  RequestAuthentication: {
    apiVersion: 'security.istio.io/v1',
    plural: 'requestauthentications',
    schema: requestAuthenticationSchema,
  },
  AuthorizationPolicy: {
    apiVersion: 'security.istio.io/v1',
    plural: 'authorizationpolicies',
    schema: authorizationPolicySchema,
  },
  Telemetry: { apiVersion: 'telemetry.istio.io/v1', plural: 'telemetries', schema: telemetrySchema },
} as const;
export type IstioKind = keyof typeof istioKinds;
