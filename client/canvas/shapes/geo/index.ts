import './geo.css'

export { AtlasGeoShapeUtil } from './GeoShapeUtil'
