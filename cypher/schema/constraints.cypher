// caregraph's Neo4j constraints and indexes, generated from networks.schema by
// loaders.neo4j.schema_cypher() (a test keeps this file equal to it).
// loaders.neo4j.write_graph runs them before every load; each is idempotent.

CREATE CONSTRAINT caregraph_node_identity IF NOT EXISTS FOR (n:`CareGraph`) REQUIRE (n.model, n.id) IS UNIQUE;
CREATE CONSTRAINT caregraph_model_identity IF NOT EXISTS FOR (m:`CareGraphModel`) REQUIRE m.model IS UNIQUE;
CREATE INDEX caregraph_node_model IF NOT EXISTS FOR (n:`CareGraph`) ON (n.model);
CREATE INDEX caregraph_budget_id IF NOT EXISTS FOR (n:`Budget`) ON (n.id);
CREATE INDEX caregraph_ccg_id IF NOT EXISTS FOR (n:`CCG`) ON (n.id);
CREATE INDEX caregraph_canceralliance_id IF NOT EXISTS FOR (n:`CancerAlliance`) ON (n.id);
CREATE INDEX caregraph_clinicalnetwork_id IF NOT EXISTS FOR (n:`ClinicalNetwork`) ON (n.id);
CREATE INDEX caregraph_commissioner_id IF NOT EXISTS FOR (n:`Commissioner`) ON (n.id);
CREATE INDEX caregraph_commissioninghub_id IF NOT EXISTS FOR (n:`CommissioningHub`) ON (n.id);
CREATE INDEX caregraph_gppractice_id IF NOT EXISTS FOR (n:`GPPractice`) ON (n.id);
CREATE INDEX caregraph_geography_id IF NOT EXISTS FOR (n:`Geography`) ON (n.id);
CREATE INDEX caregraph_icb_id IF NOT EXISTS FOR (n:`ICB`) ON (n.id);
CREATE INDEX caregraph_independentprovider_id IF NOT EXISTS FOR (n:`IndependentProvider`) ON (n.id);
CREATE INDEX caregraph_localauthority_id IF NOT EXISTS FOR (n:`LocalAuthority`) ON (n.id);
CREATE INDEX caregraph_nhseregion_id IF NOT EXISTS FOR (n:`NHSERegion`) ON (n.id);
CREATE INDEX caregraph_nhsengland_id IF NOT EXISTS FOR (n:`NHSEngland`) ON (n.id);
CREATE INDEX caregraph_nhstrust_id IF NOT EXISTS FOR (n:`NHSTrust`) ON (n.id);
CREATE INDEX caregraph_neighbourhood_id IF NOT EXISTS FOR (n:`Neighbourhood`) ON (n.id);
CREATE INDEX caregraph_network_id IF NOT EXISTS FOR (n:`Network`) ON (n.id);
CREATE INDEX caregraph_odn_id IF NOT EXISTS FOR (n:`ODN`) ON (n.id);
CREATE INDEX caregraph_organisation_id IF NOT EXISTS FOR (n:`Organisation`) ON (n.id);
CREATE INDEX caregraph_pcn_id IF NOT EXISTS FOR (n:`PCN`) ON (n.id);
CREATE INDEX caregraph_pathway_id IF NOT EXISTS FOR (n:`Pathway`) ON (n.id);
CREATE INDEX caregraph_place_id IF NOT EXISTS FOR (n:`Place`) ON (n.id);
CREATE INDEX caregraph_pool_id IF NOT EXISTS FOR (n:`Pool`) ON (n.id);
CREATE INDEX caregraph_provider_id IF NOT EXISTS FOR (n:`Provider`) ON (n.id);
CREATE INDEX caregraph_providercollaborative_id IF NOT EXISTS FOR (n:`ProviderCollaborative`) ON (n.id);
CREATE INDEX caregraph_region_id IF NOT EXISTS FOR (n:`Region`) ON (n.id);
CREATE INDEX caregraph_service_id IF NOT EXISTS FOR (n:`Service`) ON (n.id);
CREATE INDEX caregraph_site_id IF NOT EXISTS FOR (n:`Site`) ON (n.id);
CREATE INDEX caregraph_step_id IF NOT EXISTS FOR (n:`Step`) ON (n.id);
CREATE INDEX caregraph_subicblocation_id IF NOT EXISTS FOR (n:`SubICBLocation`) ON (n.id);
CREATE INDEX caregraph_system_id IF NOT EXISTS FOR (n:`System`) ON (n.id);
CREATE INDEX caregraph_voluntaryprovider_id IF NOT EXISTS FOR (n:`VoluntaryProvider`) ON (n.id);
