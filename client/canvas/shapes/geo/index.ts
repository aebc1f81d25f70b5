import './geo.css'

export { AtlasGeoShapeUtil, OVERVIEW_TEXT_PX } from './GeoShapeUtil'
