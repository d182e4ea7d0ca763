/** @module Conversations and the communication map. */
export { ConversationTable, DEFAULT_MAX_CONVERSATIONS, type Conversation } from './table.js';
export { buildCommunicationMap, type CommunicationMap, type MapEdge, type MapNode, type MapQuery, type NodeInfo } from './map.js';
