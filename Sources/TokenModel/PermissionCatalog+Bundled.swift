// swift-format-ignore-file
// Generated from the shared permission-groups reference (311 groups): id, scopes, name and former
// names ('|'-separated), tab-separated.
// Regenerate with `TOKENWARDEN_RECORD=1 swift test --filter BundledCatalogTests`; that test fails when this drifts.

/// The permission groups bundled with TokenWarden.
let bundledPermissionGroups = """
19637fbb73d242c0a92845d8db0b95b1	com.cloudflare.api.account.zone	AI Audit Read	
1ba6ab4cacdb454b913bbb93e1b8cb8c	com.cloudflare.api.account.zone	AI Audit Write	
4dc8917b4b40457d88d3035d5dadb054	com.cloudflare.api.account	AI Gateway Read	
644535f4ed854494a59cb289d634b257	com.cloudflare.api.account	AI Gateway Run	
6c8a3737f07f46369c1ea1f22138daaf	com.cloudflare.api.account	AI Gateway Write	
9e9b428a0bcd46fd80e580b46a69963c	com.cloudflare.api.account	AI Search Index Engine	
0cc3a61731504c89b99ec1be78b77aa0	com.cloudflare.api.user	API Tokens Read	
686d18d5ac6c441c867cbf6771e58a0a	com.cloudflare.api.user	API Tokens Write	
7ea222f6d5064cfa89ea366d7c1fee89	com.cloudflare.api.account	Access: Apps and Policies Read	
eb258a38ea634c86a0c89da6b27cb6b6	com.cloudflare.api.account.zone	Access: Apps and Policies Read	
6c9d1cfcfc6840a987d1b5bfb880a841	com.cloudflare.api.account	Access: Apps and Policies Revoke	
6db4e222e21248ac96a3f4c2a81e3b41	com.cloudflare.api.account.zone	Access: Apps and Policies Revoke	
1e13c5124ca64b72b1969a67e8829049	com.cloudflare.api.account	Access: Apps and Policies Write	
959972745952452f8be2452be8cbb9f2	com.cloudflare.api.account.zone	Access: Apps and Policies Write	
b05b28e839c54467a7d6cba5d3abb5a3	com.cloudflare.api.account	Access: Audit Logs Read	
08e61dabe81a422dab0dea6fdef1a98a	com.cloudflare.api.account	Access: Custom Pages Read	
4e5fd8ac327b4a358e48c66fcbeb856d	com.cloudflare.api.account	Access: Custom Pages Write	
0f4841f80adb4bada5a09493300e7f8d	com.cloudflare.api.account	Access: Device Posture Read	
2fc1072ee6b743828db668fcb3f9dee7	com.cloudflare.api.account	Access: Device Posture Write	
4f3196a5c95747b6ad82e34e1d0a694f	com.cloudflare.api.account	Access: Mutual TLS Certificates Read	
29d3afbfd4054af9accdd1118815ed05	com.cloudflare.api.account	Access: Mutual TLS Certificates Write	
26bc23f853634eb4bff59983b9064fde	com.cloudflare.api.account	Access: Organizations, Identity Providers, and Groups Read	
7121a0c7e9ed46e3829f9cca2bb572aa	com.cloudflare.api.account	Access: Organizations, Identity Providers, and Groups Revoke	
bfe0d8686a584fa680f4c53b5eb0de6d	com.cloudflare.api.account	Access: Organizations, Identity Providers, and Groups Write	
b8b7514ce5364cd8ac0455f3eb16eb5f	com.cloudflare.api.account	Access: Policy Test Read	
6d23f290472f4e6fad5c4398c057c356	com.cloudflare.api.account	Access: Policy Test Write	
de99c87e48d642ce8c985d027905b475	com.cloudflare.api.account	Access: Population Read	
bc783549a3a741aaa10556faf8b485bb	com.cloudflare.api.account	Access: Population Write	
e985ca9351db460faebbe8681c48e560	com.cloudflare.api.account	Access: SCIM logs read	
99ff99e4e30247a99d3777a8c4c18541	com.cloudflare.api.account	Access: SSH Auditing Read	
d30c9ad8b5224e7cb8d41bcb4757effc	com.cloudflare.api.account	Access: SSH Auditing Write	
91f7ce32fa614d73b7e1fc8f0e78582b	com.cloudflare.api.account	Access: Service Tokens Read	
a1c0fec57cf94af79479a6d827fa518c	com.cloudflare.api.account	Access: Service Tokens Write	
5e5d3e8efeec49f3afb67bafecbcd511	com.cloudflare.api.account	Account API Gateway	
05a2a65760a546439ed29762b163cece	com.cloudflare.api.account	Account API Gateway Read	
eb56a6953c034b9d97dd838155666f06	com.cloudflare.api.account	Account API Tokens Read	
5bc3f8b21c554832afc660159ab75fa4	com.cloudflare.api.account	Account API Tokens Write	
b89a480218d04ceb98b4fe57ca29dc1f	com.cloudflare.api.account	Account Analytics Read	
c57ea647ef654b47bc8944fa739b570d	com.cloudflare.api.account	Account Custom Pages Read	
8a9d35a7c8504208ad5c3e8d58e6162d	com.cloudflare.api.account	Account Custom Pages Write	
cfa964bcdafc4ab39704e7476154e41b	com.cloudflare.api.account	Account DNS Settings Read	
dc44f27f48ab405392a5f69fe822bd01	com.cloudflare.api.account	Account DNS Settings Write	
de7a688cc47d43bd9ea700b467a09c96	com.cloudflare.api.account	Account Firewall Access Rules Read	
a416acf9ef5a4af19fb11ed3b96b1fe6	com.cloudflare.api.account	Account Firewall Access Rules Write	
4f1071168de8466e9808de86febfc516	com.cloudflare.api.account	Account Rule Lists Read	
2edbf20661fd4661b0fe10e9e12f485c	com.cloudflare.api.account	Account Rule Lists Write	
fb39996ee9044d2a8725921e02744b39	com.cloudflare.api.account	Account Rulesets Read	
56907406c3d548ed902070ec4df0e328	com.cloudflare.api.account	Account Rulesets Write	
ece81d7757ff406cad61f221a4920d55	com.cloudflare.api.account	Account Security Center Insights Read	
cfa2e2893226455c9b945914969dff7c	com.cloudflare.api.account	Account Security Center Insights Write	
c1fde68c7bcc44588cbb6ddbc16d6480	com.cloudflare.api.account	Account Settings Read	
1af1fa2adc104452b74a9a3364202f20	com.cloudflare.api.account	Account Settings Write	
56b2af4817c84ad99187911dc3986c23	com.cloudflare.api.account	Account WAF Read	
cde8c82463b6414ca06e46b9633f52a6	com.cloudflare.api.account	Account WAF Write	
3e4e20ee40b9475dae22201c468fdb70	com.cloudflare.api.account	Account Waiting Rooms Read	
a7a233f9604845c787d4c8c39ac09c21	com.cloudflare.api.account	Account: SSL and Certificates Read	
db37e5f1cb1a4e1aabaef8deaea43575	com.cloudflare.api.account	Account: SSL and Certificates Write	
d07270cea5484b08ad6440c985af2148	com.cloudflare.api.account	Address Maps Read	
6ffe7f4299db4d4cb54f64e0eb12a456	com.cloudflare.api.account	Address Maps Write	
151803815e4f47de854c2fb7f8284d57	com.cloudflare.api.account	Agents Gateway Read	
82748b814dcd46b9b3e66b8151ba5e95	com.cloudflare.api.account	Agents Gateway Run	
e84fd345697c4036a14e7810da036e1a	com.cloudflare.api.account	Agents Gateway Write	
f3604047d46144d2a3e9cf4ac99d7f16	com.cloudflare.api.account	Allow Request Tracer Read	
9c88f9c5bce24ce7af9a958ba9c504db	com.cloudflare.api.account.zone	Analytics Read	
d79c5e2a405b4516a322432287d40c31	com.cloudflare.api.account	Application Security Reports Read	
094547ab6e77498c8c4dfa87fadd5c51	com.cloudflare.api.account.zone	Apps Write	
d7887c7a417e4cf2a69f1d01c1a1dc3b	com.cloudflare.api.account	Auto Rag Read	
7fb8d27511b34d02994d005b520b679f	com.cloudflare.api.account	Auto Rag Write	
234108c786084936a381bb19b7f4ea65	com.cloudflare.api.account	Auto Rag Write Run Engine	
7cf72faf220841aabcfdfab81c43c4f6	com.cloudflare.api.account	Billing Read	
6c80e02421494afc9ae14414ed442632	com.cloudflare.api.account	Billing Write	
51be404b56244056868226263a44a632	com.cloudflare.api.account.zone	Bot Management Feedback Report Read	
2002629aaff0454085bf5a201ed70a72	com.cloudflare.api.account.zone	Bot Management Feedback Report Write	
07bea2220b2343fa9fae15656c0d8e88	com.cloudflare.api.account.zone	Bot Management Read	
3b94c49258ec4573b06d51d99b6416c0	com.cloudflare.api.account.zone	Bot Management Write	
374b03fa229f4eb6b011bb1cd7f235ee	com.cloudflare.api.account	Browser Rendering Read	
adddda876faa4a0590f1b23a038976e4	com.cloudflare.api.account	Browser Rendering Write	
da5fe84b9c5446a0a5955b673fafa288	com.cloudflare.api.account	CASB Read	
b9ed086b20864ad89c5aac24cdd02365	com.cloudflare.api.account	CASB Write	
47b936e2027140c0a474cac8887b8c29	com.cloudflare.api.account	CF Agents Read	
cb142f7fbc3540f0bade0cbe75f606dc	com.cloudflare.api.account	CF Agents Write	
e17beae8b8cb423a99b1730f21238bed	com.cloudflare.api.account.zone	Cache Purge	
3245da1cf36c45c3847bb9b483c62f97	com.cloudflare.api.account.zone	Cache Settings Read	
9ff81cbbe65c400b97d92c3c1033cab6	com.cloudflare.api.account.zone	Cache Settings Write	
686ab9a8b3854f25a1474f302d14b68d	com.cloudflare.api.account	Calls Read	
b711942448db4b0aace44d1312f9fdb0	com.cloudflare.api.account	Calls Write	
9ade9cfc8f8949bcb2371be2f0ec8db1	com.cloudflare.api.account	China Network Steering Read	
c6f6338ceae545d0b90daaa1fed855e6	com.cloudflare.api.account	China Network Steering Write	
0661ff47aa3a4786beab3b8128e0cd24	com.cloudflare.api.account.zone	Cloud Connector Read	
eafd71286d0e4fdca404a7b4d203c5c9	com.cloudflare.api.account.zone	Cloud Connector Write	
9e5a9912439940fca5898b5b8dc6d1a5	com.cloudflare.api.account	Cloud Email Security: Read	
a3567c13e074447fb101babac3463566	com.cloudflare.api.account	Cloud Email Security: Write	
65ec50cbde3d4c838bbe7500024d5745	com.cloudflare.api.account	Cloudchamber Read	
26ce6c7d18a346528e7b905d5e269866	com.cloudflare.api.account	Cloudchamber Write	
00ec19a0d4fa4e4aae23b50bf04c0630	com.cloudflare.api.account	Cloudflare CDS Compute Account Read	
9bf884ba0de445dab37ea4a3e1a2c9f1	com.cloudflare.api.account	Cloudflare CDS Compute Account Write	
3a1e1ef09dd34271bb44fc4c6a419952	com.cloudflare.api.account	Cloudflare DEX	
3b376e0aa52c41cbb6afc9cab945afa8	com.cloudflare.api.account	Cloudflare DEX Read	
92c8dcd551cc42a6a57a54e8f8d3f3e3	com.cloudflare.api.account	Cloudflare DEX Write	
1cd960c063a0448481343372c963d8c7	com.cloudflare.api.account	Cloudflare One Connector: WARP Read	
5b5c774a5d174ca88d046c8889648b3f	com.cloudflare.api.account	Cloudflare One Connector: WARP Write	
c1968d31028d4239976ec3bc4750bbf6	com.cloudflare.api.account	Cloudflare One Connector: cloudflared Read	
037b9e348b3b42d4b46ea2fcb1cfb3e7	com.cloudflare.api.account	Cloudflare One Connector: cloudflared Write	
07cf1c1952a84b13b2cd542f3d2f29ab	com.cloudflare.api.account	Cloudflare One Connectors Read	
a7030c9c98d544e092d8b099fabb1f06	com.cloudflare.api.account	Cloudflare One Connectors Write	
4f1276d1e7e34c32a5012bbe02ece86d	com.cloudflare.api.account	Cloudflare One Networks Read	
e2980d9241cf4939bbbd74fdc43b9651	com.cloudflare.api.account	Cloudflare One Networks Write	
efea2ab8357b47888938f101ae5e053f	com.cloudflare.api.account	Cloudflare Tunnel Read	
c07321b023e944ff818fec44d8203567	com.cloudflare.api.account	Cloudflare Tunnel Write	
e0e0edfbe8834df3b51424ba4fb7bb5f	com.cloudflare.api.account	Cloudflare Zero Trust Secure DNS Locations Write	
cf9353ed7978436e8fb20c03fce26449	com.cloudflare.api.account	Cloudforce One Read	
677767156f294485b497a8f103172e7d	com.cloudflare.api.account	Cloudforce One Write	
20e5ea084b2f491c86b8d8d90abff905	com.cloudflare.api.account.zone	Config Settings Read	
06f0526e6e464647bd61b63c54935235	com.cloudflare.api.account.zone	Config Settings Write	
77efc2c0724d4c4eb94bfd9656247130	com.cloudflare.api.account	Connectivity Directory Admin	
95fa65ba51fd49c4a6ac4c8c78ebac93	com.cloudflare.api.account	Connectivity Directory Bind	
8764961c1edb4274be129d630b0b2671	com.cloudflare.api.account	Connectivity Directory Read	
eeffa4d16812430cb4a0ae9e7f46fc24	com.cloudflare.api.account	Constellation Read	
7c81856725af47ce89a790d5fb36f362	com.cloudflare.api.account	Constellation Write	
a2b55cd504d44ef18b7ba6a7f2b8fbb1	com.cloudflare.api.account.zone	Custom Errors Read	
a9dba34cf5814d4ab2007b4ada0045bd	com.cloudflare.api.account.zone	Custom Errors Write	
a2431ca73b7d41f99c53303027392586	com.cloudflare.api.account.zone	Custom Pages Read	
c244ec076974430a88bda1cdd992d0d9	com.cloudflare.api.account.zone	Custom Pages Write	
192192df92ee43ac90f2aeeffce67e35	com.cloudflare.api.account	D1 Read	
09b2857d1c31407795e75e3fed8617a1	com.cloudflare.api.account	D1 Write	
dee7c22a57674abea8f942110b094717	com.cloudflare.api.account	DDoS Botnet Feed Read	
0caa90c9b186447397c8b00358d34a76	com.cloudflare.api.account	DDoS Botnet Feed Write	
af1c363c35ba45b9a8c682ae50eb3f99	com.cloudflare.api.account	DDoS Protection Read	
d44ed14bcc4340b194d3824d60edad3f	com.cloudflare.api.account	DDoS Protection Write	
5f48a472240a4b489a21d43bd19a06e1	com.cloudflare.api.account	DNS Firewall Read	
da6d2d6f2ec8442eaadda60d13f42bca	com.cloudflare.api.account	DNS Firewall Write	
82e64a83756745bbbb1c9c2701bf816b	com.cloudflare.api.account.zone	DNS Read	
95d69e8d6d5144bfb0923667355d9f11	com.cloudflare.api.account	DNS View Read	
5b7aedd821a548b9bf5a2acabbce98c7	com.cloudflare.api.account	DNS View Write	
4755a26eedb94da69e1066d98aa820be	com.cloudflare.api.account.zone	DNS Write	
29eefa0805f94fdfae2b058b5b52f319	com.cloudflare.api.account	Disable ESC Read	
e199d584e69344eba202452019deafe3	com.cloudflare.api.account.zone	Disable ESC Read	
18555e39c5ba40d284dde87eda845a90	com.cloudflare.api.account	Disable ESC Write	
9110d9dd749e464fb9f3961a2064efc5	com.cloudflare.api.account.zone	Disable ESC Write	
f0235726de25444a84f704b7c93afadf	com.cloudflare.api.account.zone	Domain API Gateway	
6ced5d0d69b1422396909a62c38ab41b	com.cloudflare.api.account.zone	Domain API Gateway Read	
6134079371904d8ebd77931c8ca07e50	com.cloudflare.api.account.zone	Domain Page Shield	
945315185a8f40518bf3e9e6d0bee126	com.cloudflare.api.account.zone	Domain Page Shield Read	
d8e12db741544d1586ec1d6f5d3c7786	com.cloudflare.api.account.zone	Dynamic URL Redirects Read	
74e1036f577a48528b78d2413b40538d	com.cloudflare.api.account.zone	Dynamic URL Redirects Write	
5272e56105d04b5897466995b9bd4643	com.cloudflare.api.account	Email Routing Addresses Read	
e4589eb09e63436686cd64252a3aebeb	com.cloudflare.api.account	Email Routing Addresses Write	
1b600d9d8062443e986a973f097e728a	com.cloudflare.api.account.zone	Email Routing Rules Read	
79b3ec0d10ce4148a8f8bdc0cc5f97f2	com.cloudflare.api.account.zone	Email Routing Rules Write	
1047880d37b649b49db4a504a245896f	com.cloudflare.api.account.zone	Email Security DMARC Reports Read	
2eee71c9364c4cacaf469e8370f09056	com.cloudflare.api.account.zone	Email Security DMARC Reports Write	
2d5b4b1f6c89487bb7184c2c1dcd3bf1	com.cloudflare.api.account	Email Sending Read	
5df633d6b41c42bcaf5b4a62b9d14b64	com.cloudflare.api.account	Email Sending Write	
4ec32dfcb35641c5bb32d5ef1ab963b4	com.cloudflare.api.account.zone	Firewall Services Read	
43137f8d07884d3198dc0ee77ca6e79b	com.cloudflare.api.account.zone	Firewall Services Write	
a2c61201f92a4e06a901f156795388a9	com.cloudflare.api.account.zone	Firewall for AI Read	
5af6a2f284144e95a89840408439adef	com.cloudflare.api.account.zone	Firewall for AI Write	
0d24e472a9654642a97df736e8b0d980	com.cloudflare.api.account.zone	Fraud Detection Read	
685f9605fd4e44ec937b6a0db658e629	com.cloudflare.api.account.zone	Fraud Detection Write	
6b60a5a87cae475da7e76e77e4209dd5	com.cloudflare.api.account	HTTP Applications Read	
4736c02a9f224c8196ae5b127beae78c	com.cloudflare.api.account	HTTP Applications Write	
c49f8d15f9f44885a544d945ef5aa6ae	com.cloudflare.api.account.zone	HTTP DDoS Managed Ruleset Read	
b88a3aa889474524bccea5cf18f122bf	com.cloudflare.api.account.zone	HTTP DDoS Managed Ruleset Write	
fac65912d42144aa86b7dd33281bf79e	com.cloudflare.api.account.zone	Health Checks Read	
e0dc25a0fbdf4286b1ea100e3256b0e3	com.cloudflare.api.account.zone	Health Checks Write	
4d62ccf834df44808bc9283d65c4e4e9	com.cloudflare.api.account	Hyperdrive Read	
721b2f51fba74871bd361de65aeb7e03	com.cloudflare.api.account	Hyperdrive Write	
212c9ff247b9406d990c017482afb3a5	com.cloudflare.api.account	IOT Read	
865ebd55bc6d4b109de6813eccfefd13	com.cloudflare.api.account	IOT Write	
e763fae6ee95443b8f56f19213c5f2a5	com.cloudflare.api.account	IP Prefixes: BGP On Demand Read	
2ae23e4939d54074b7d252d27ce75a77	com.cloudflare.api.account	IP Prefixes: BGP On Demand Write	
27beb7f8333b41e2b946f0e23cd8091e	com.cloudflare.api.account	IP Prefixes: Read	
92b8234e99f64e05bbbc59e1dc0f76b6	com.cloudflare.api.account	IP Prefixes: Write	
0cf6473ad41449e7b7b743d14fc20c60	com.cloudflare.api.account	Images Read	
618ec6c64a3a42f8b08bdcb147ded4e4	com.cloudflare.api.account	Images Write	
c6f97eeee13345db8cc00af0953a42de	com.cloudflare.api.account	Integration Write	
df1577df30ee46268f9470952d7b0cdf	com.cloudflare.api.account	Intel Read	
92209474242d459690e2cdb1985eaa6c	com.cloudflare.api.account	Intel Write	
4657621393f94f83b8ef94adba382e48	com.cloudflare.api.account	L4 DDoS Managed Ruleset Read	
7a4c3574054a4d0ba7c692893ba8bdd4	com.cloudflare.api.account	L4 DDoS Managed Ruleset Write	
59059f0c977b44f8b1c18e0aaf91c369	com.cloudflare.api.account	Load Balancers Account Read	
419ec42810af4659ade77716dbe47bc6	com.cloudflare.api.account	Load Balancers Account Write	
e9a975f628014f1d85b723993116f7d5	com.cloudflare.api.account.zone	Load Balancers Read	
6d7f2f5f5b1d4a0e9081fdc98d432fd1	com.cloudflare.api.account.zone	Load Balancers Write	
9d24387c6e8544e2bc4024a03991339f	com.cloudflare.api.account	Load Balancing: Monitors and Pools Read	
d2a1802cc9a34e30852f8b33869b2f3c	com.cloudflare.api.account	Load Balancing: Monitors and Pools Write	
6a315a56f18441e59ed03352369ae956	com.cloudflare.api.account	Logs Read	
c4a30cd58c5d42619c86a3c36c441e2d	com.cloudflare.api.account.zone	Logs Read	
3e0b5820118e47f3922f7c989e673882	com.cloudflare.api.account.zone	Logs Write	
96163bd1b0784f62b3e44ed8c2ab1eb6	com.cloudflare.api.account	Logs Write	
b84a912ebb4a418888fec65f65c8ff3b	com.cloudflare.api.account	MCP Portals Read	
db3d398df73946acb755c05b69edfc30	com.cloudflare.api.account	MCP Portals Write	
3a46c728a0a040d5a65cd8e2f3bc6935	com.cloudflare.api.account	Magic Firewall Packet Captures - Read PCAPs API	
4ea7d6421801452dbf07cef853a5ef39	com.cloudflare.api.account	Magic Firewall Packet Captures - Write PCAPs API	
02b71f12bb0748e9af8126494e181342	com.cloudflare.api.account	Magic Firewall Read	
8bd1dac84d3d43e7bfb43145f010a15c	com.cloudflare.api.account	Magic Firewall Write	
8e6ed1ef6e864ad0ae477ceffa5aa5eb	com.cloudflare.api.account	Magic Network Monitoring Admin	
3d85e9514f944bb4912c5871d92e5af5	com.cloudflare.api.account	Magic Network Monitoring Config Read	
09c77baecb6341a2b1ca2c62b658d290	com.cloudflare.api.account	Magic Network Monitoring Config Write	
967ecf860a244dd1911a0331a0af582a	com.cloudflare.api.account	Magic Transit Read	
0bc09a3cd4b54605990df4e307f138e1	com.cloudflare.api.account	Magic Transit Write	
17fc856c4ebe49d4bb70f8e4744398cf	com.cloudflare.api.account	Magic WAN Read	
a1a7389ba7e441dba95852e10970fcc3	com.cloudflare.api.account	Magic WAN Write	
319f5059d33a410da0fac4d35a716157	com.cloudflare.api.account.zone	Managed headers Read	
0fd9d56bc2da43ad8ea22d610dd8cab1	com.cloudflare.api.account.zone	Managed headers Write	
429a068902904c5a9ed9fc267c67da9a	com.cloudflare.api.account	Mass URL Redirects Read	
abe78e2276664f4db588c1f675a77486	com.cloudflare.api.account	Mass URL Redirects Write	
3518d0f75557482e952c6762d3e64903	com.cloudflare.api.user	Memberships Read	
9201bc6f42d440968aaab0c6f17ebb1d	com.cloudflare.api.user	Memberships Write	
ce18edbdcebf465e9d6d1d2fc80ffd42	com.cloudflare.api.account	Notifications Read	
c3c847c5802d4ce3ba00e3e97b3c8555	com.cloudflare.api.account	Notifications Write	
7b32a91ece3140d4b3c2c56f23fc8e35	com.cloudflare.api.account.zone	Origin Read	
a4308c6855c84eb2873e01b6cc85cbb3	com.cloudflare.api.account.zone	Origin Write	
b415b70a4fd1412886f164451f20405c	com.cloudflare.api.account.zone	Page Rules Read	
ed07f6c337da4195b4e72a1fb2c6bcae	com.cloudflare.api.account.zone	Page Rules Write	
440e6958bcc947329f8d56328d7322ce	com.cloudflare.api.account	Page Shield	
050531528b044d58bbb71666fef7c07c	com.cloudflare.api.account	Page Shield Read	
87065285ab38463481e72815eefd18c3	com.cloudflare.api.account.zone	Page Shield Write	
e247aedd66bd41cc9193af0213416666	com.cloudflare.api.account	Pages Read	
8d28297797f24fb8a0c332fe0866ec89	com.cloudflare.api.account	Pages Write	
14b9cf2f410f4c0c9a16bb10a81c0e0b	com.cloudflare.api.account	Pipelines Read	
5606e7405dc542949d949d59993d321f	com.cloudflare.api.account	Pipelines Send	
e34111af393449539859485aa5ddd5bd	com.cloudflare.api.account	Pipelines Write	
fd7f886c75a244389e892c4c3c068292	com.cloudflare.api.account	Pubsub Configuration Read	
910b6ecca1c5411bb894e787362d1312	com.cloudflare.api.account	Pubsub Configuration Write	
84a7755d54c646ca87cd50682a34bf7c	com.cloudflare.api.account	Queues Read	
366f57075ffc42689627bcf8242a1b6d	com.cloudflare.api.account	Queues Write	
dfe525ec7b07472c827d8d009178b2ac	com.cloudflare.api.account	Radar Read	
de62b15d79cc4d8d9c7b443c656eadbd	com.cloudflare.api.account	Realtime	
ba6ce7d23a9544ccad0816691ba38e21	com.cloudflare.api.account	Realtime Admin	
9bb90620717647a39679e1d951f140d6	com.cloudflare.api.account	Registrar Domains Read	
93ae59e7a40c4287a57ff6e501186a63	com.cloudflare.api.account.zone	Response Compression Read	
4bd3fb513a23494aa1341a7e1eb6e080	com.cloudflare.api.account.zone	Response Compression Write	
58abbad6d2ce40abb2594fbe932a2e0e	com.cloudflare.api.account	Rule Policies Read	
61ddc58f1da14f95b33b41213360cbeb	com.cloudflare.api.account	Rule Policies Write	
d5812c023a5048b4882175a28952362d	com.cloudflare.api.account	SCIM Provisioning	
7b7216b327b04b8fbc8f524e1f9b7531	com.cloudflare.api.account.zone	SSL and Certificates Read	
c03055bc037c4ea9afb9a9f104b7b721	com.cloudflare.api.account.zone	SSL and Certificates Write	
1d80f6f165ea47f2b55d4a393fd697de	com.cloudflare.api.account	SSO Connector Read	
901ca5e292584c6aa1b4cdb39248bb07	com.cloudflare.api.account	SSO Connector Write	
853643ed57244ed1a05a7c024af9ab5a	com.cloudflare.api.account.zone	Sanitize Read	
89bb8c37d46042e98b84560eaaa6379f	com.cloudflare.api.account.zone	Sanitize Write	
5e33b7d77788455c9fdf18cbd38ee5a0	com.cloudflare.api.account	Secrets Store Read	
adc8fa2bc6124928a8b3314dc63a1235	com.cloudflare.api.account	Secrets Store Write	
595409c54a24444b80a495620b2d614c	com.cloudflare.api.account	Select Configuration Read	
235eac9bb64942b49cb805cc851cb000	com.cloudflare.api.account	Select Configuration Write	
74c654eb4aac40e28d6c6caa4c5aeb3d	com.cloudflare.api.account.zone	Snippets Read	
dadeaf3abdf14126a77a35e0c92fc36e	com.cloudflare.api.account.zone	Snippets Write	
de21485a24744b76a004aa153898f7fe	com.cloudflare.api.account	Stream Read	
714f9c13a5684c2885a793f5edb36f59	com.cloudflare.api.account	Stream Write	
a9a99455bf3245f6a5a244f909d74830	com.cloudflare.api.account	Transform Rules Read	
ae16e88bc7814753a1894c7ce187ab72	com.cloudflare.api.account	Transform Rules Write	
f0ba3733e746429182fcd40ec648c066	com.cloudflare.api.account	Trust and Safety Read	
120f843a9c074f399b830e542e5616b8	com.cloudflare.api.account	Trust and Safety Write	
5d78fd7895974fd0bdbbbb079482721b	com.cloudflare.api.account	Turnstile Sites Read	
755c05aa014b4f9ab263aa80b8167bd8	com.cloudflare.api.account	Turnstile Sites Write	
5d613a610b294788a29572aaac2f254d	com.cloudflare.api.account	URL Scanner Read	
2a400bcb29154daab509fe07e3facab0	com.cloudflare.api.account	URL Scanner Write	
8acbe5bb0d54464ab867149d7f7cf8ac	com.cloudflare.api.user	User Details Read	
55a5e17cc99e4a3fa1f3432d262f2e55	com.cloudflare.api.user	User Details Write	
1799edaae5db489294430e20d9b519e0	com.cloudflare.api.account	Vectorize Read	
64156ba5be47441096c83c7fc17c488b	com.cloudflare.api.account	Vectorize Write	
cab5202d07ef47beae788e6bc95cb6fe	com.cloudflare.api.account.zone	Waiting Rooms Read	
24fc124dc8254e0db468e60bf410c800	com.cloudflare.api.account.zone	Waiting Rooms Write	
8e31f574901c42e8ad89140b28d42112	com.cloudflare.api.account.zone	Web3 Hostnames Read	
5ea6da42edb34811a78d1b007557c0ca	com.cloudflare.api.account.zone	Web3 Hostnames Write	
a92d2450e05d4e7bb7d0a64968f83d11	com.cloudflare.api.account	Workers AI Read	
bacc64e0f6c34fc0883a1223f938a104	com.cloudflare.api.account	Workers AI Write	
ad99c5ae555e45c4bef5bdf2678388ba	com.cloudflare.api.account	Workers CI Read	
2e095cf436e2455fa62c9a9c2e18c478	com.cloudflare.api.account	Workers CI Write	
cfd39eebc07c4e3ea849e4b3d2644637	com.cloudflare.api.account	Workers Containers Read	
bdbcd690c763475a985e8641dddc09f7	com.cloudflare.api.account	Workers Containers Write	
8b47d2786a534c08a1f94ee8f9f599ef	com.cloudflare.api.account	Workers KV Storage Read	
f7f0eda5697f475c90846e879bab8666	com.cloudflare.api.account	Workers KV Storage Write	
66c1ed49f4ed46098b75696a6d4ee3c9	com.cloudflare.api.account	Workers Observability Read	
29c629fb7b5e4c408ca0f7b545724fcc	com.cloudflare.api.account	Workers Observability Telemetry Write	
82c075da3f4647a2a03becd0fe240f8a	com.cloudflare.api.account	Workers Observability Write	
45db74139a62490b9b60eb7c4f34994b	com.cloudflare.api.account	Workers R2 Data Catalog Read	
d229766a2f7f4d299f20eaa8c9b1fde9	com.cloudflare.api.account	Workers R2 Data Catalog Write	
f45430d92e2b4a6cb9f94f2594c141b8	com.cloudflare.api.account	Workers R2 SQL Read	
6a018a9f2fc74eb6b293b0c548f38b39	com.cloudflare.edge.r2.bucket	Workers R2 Storage Bucket Item Read	
2efd5506f9c8494dacb1fa10a3e7d5b6	com.cloudflare.edge.r2.bucket	Workers R2 Storage Bucket Item Write	
b4992e1108244f5d8bfbd5744320c2e1	com.cloudflare.api.account	Workers R2 Storage Read	
bf7481a1826f439697cb59a20b22293e	com.cloudflare.api.account	Workers R2 Storage Write	
2072033d694d415a936eaeb94e6405b8	com.cloudflare.api.account.zone	Workers Routes Read	
28f4b596e7d643029c524985477ae49a	com.cloudflare.api.account.zone	Workers Routes Write	
1a71c399035b4950a1bd1466bbe4f420	com.cloudflare.api.account	Workers Scripts Read	
e086da7e2179491d91ee5f35b3ca210a	com.cloudflare.api.account	Workers Scripts Write	
05880cd1bdc24d8bae0be2136972816b	com.cloudflare.api.account	Workers Tail Read	
cdeb15b336e640a2965df8c65052f1e0	com.cloudflare.api.account.zone	Zaraz Admin	
89d5bf002389496e9994b8c30608b5d0	com.cloudflare.api.account.zone	Zaraz Edit	
5bdbde7e76144204a244274eac3eb0eb	com.cloudflare.api.account.zone	Zaraz Read	
3f376c8e6f764a938b848bd01c8995c4	com.cloudflare.api.account	Zero Trust Read	Teams Read
efb81b5cd37d49f3be1da9363a6d7a19	com.cloudflare.api.account	Zero Trust Report	Teams Report
07f91e3e32b647ffae0178d884f23ee0	com.cloudflare.api.account	Zero Trust Resilience Read	
cc00ebddebca4b8399607562a78df084	com.cloudflare.api.account	Zero Trust Resilience Write	
b33f02c6f7284e05a6f20741c0bb0567	com.cloudflare.api.account	Zero Trust Write	Teams Write
f5d857f67f144e3c8bacea88c17d4a13	com.cloudflare.api.account	Zero Trust: PII Read	
a1a6298e52584c8fb6313760a30c681e	com.cloudflare.api.account	Zero Trust: Seats Write	
0a6cfe8cd3ed445e918579e2fb13087b	com.cloudflare.api.account.zone	Zone DNS Settings Read	
c4df38be41c247b3b4b7702e76eadae0	com.cloudflare.api.account.zone	Zone DNS Settings Write	
c8fed203ed3043cba015a93ad1616f1f	com.cloudflare.api.account.zone	Zone Read	
517b21aee92c4d89936c976ba6e4be55	com.cloudflare.api.account.zone	Zone Settings Read	
3030687196b94b638145a3953da2b699	com.cloudflare.api.account.zone	Zone Settings Write	
211a4c0feb3e43b3a2d41f1443a433e7	com.cloudflare.api.account.zone	Zone Transform Rules Read	
0ac90a90249747bca6b047d97f0803e9	com.cloudflare.api.account.zone	Zone Transform Rules Write	
1b1ea24cf0904d33903f0cc7e54e280f	com.cloudflare.api.account.zone	Zone Versioning Read	
c9915d86fbff46af9dd945c0a882294b	com.cloudflare.api.account.zone	Zone Versioning Write	
dbc512b354774852af2b5a5f4ba3d470	com.cloudflare.api.account.zone	Zone WAF Read	
fb6778dc191143babbfaa57993f1d275	com.cloudflare.api.account.zone	Zone WAF Write	
e6d2666161e84845a636613608cee8d5	com.cloudflare.api.account.zone	Zone Write	
"""
