/**
 * The value lists the large seed draws from: Dutch names and places, LOINC-like lab tests,
 * ICD-10-like diagnoses, medication, departments and document prose. Realistic enough for a
 * hospital-scale benchmark; the demo seed keeps its own hand-written values.
 */

export const GIVEN_FEMALE = [
  'Anna', 'Emma', 'Sophie', 'Julia', 'Lotte', 'Sanne', 'Eva', 'Lisa', 'Fleur', 'Iris', 'Maria', 'Johanna', 'Cornelia',
  'Wilhelmina', 'Petra', 'Ingrid', 'Marieke', 'Annemarie', 'Els', 'Karin', 'Monique', 'Ilse', 'Noor', 'Femke', 'Tess',
  'Saskia', 'Yvonne', 'Esther', 'Nadia', 'Fatima',
];
export const GIVEN_MALE = [
  'Jan', 'Pieter', 'Kees', 'Willem', 'Hendrik', 'Johannes', 'Cornelis', 'Bram', 'Daan', 'Lucas', 'Sem', 'Thijs', 'Ruben',
  'Jeroen', 'Mark', 'Dirk', 'Gerrit', 'Henk', 'Ruud', 'Bas', 'Joost', 'Sander', 'Tim', 'Niels', 'Mohamed', 'Youssef',
  'Stefan', 'Martijn', 'Erik', 'Wouter',
];
export const FAMILY_NAMES = [
  'de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer',
  'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra',
  'Smits', 'de Graaf', 'van der Meer', 'van der Linden', 'Kok', 'Jacobs', 'de Haan', 'Vermeulen', 'van den Heuvel',
  'van der Veen', 'van den Broek', 'de Bruijn', 'van der Heijden', 'Schouten', 'van Beek', 'Willems', 'van Vliet',
  'van de Ven', 'Hoekstra', 'Maas', 'Verhoeven', 'Koster', 'van Dam', 'van der Wal', 'Prins', 'Blom', 'Huisman',
  'Peeters', 'de Jonge', 'Kuipers', 'van Veen', 'Post', 'Kuiper', 'Veenstra', 'Kramer', 'van den Brink', 'Scholten',
  'El Amrani', 'Yilmaz', 'Nguyen',
];

/** Cities around the hospital with the first postal-code digits used there. */
export const CITIES: Array<[city: string, postalBase: number]> = [
  ['Leiden', 2311], ['Leiderdorp', 2351], ['Oegstgeest', 2341], ['Katwijk', 2221], ['Noordwijk', 2201], ['Voorschoten', 2251],
  ['Alphen aan den Rijn', 2401], ['Den Haag', 2511], ['Wassenaar', 2241], ['Sassenheim', 2171], ['Lisse', 2161],
  ['Zoeterwoude', 2381], ['Hillegom', 2181], ['Teylingen', 2215], ['Kaag en Braassem', 2371],
];
export const STREETS = [
  'Breestraat', 'Haarlemmerstraat', 'Rapenburg', 'Hoge Rijndijk', 'Lammenschansweg', 'Morsweg', 'Kanaalweg', 'Hoofdstraat',
  'Kerkstraat', 'Dorpsstraat', 'Stationsweg', 'Rijnsburgerweg', 'Wassenaarseweg', 'Zoeterwoudsesingel', 'Molenweg',
  'Schoolstraat', 'Julianalaan', 'Wilhelminalaan', 'Beatrixlaan', 'Vondellaan', 'Rembrandtstraat', 'Tulpstraat',
  'Lindenlaan', 'Eikenlaan', 'Boerhaavelaan', 'Van Swietenstraat', 'Plesmanlaan', 'Oude Singel', 'Nieuwe Rijn', 'Langebrug',
];

export const DEPARTMENTS = [
  'Interne Geneeskunde', 'Cardiologie', 'Longziekten', 'Neurologie', 'Orthopedie', 'Chirurgie', 'Dermatologie',
  'Kindergeneeskunde', 'Gynaecologie', 'Urologie', 'Oncologie', 'Reumatologie', 'Maag-Darm-Leverziekten', 'Nefrologie',
  'Spoedeisende Hulp', 'Geriatrie', 'Oogheelkunde', 'KNO',
];

/** Lab tests: specimen, LOINC code, display, unit, reference range, typical value, spread, decimals. */
export const LAB_TESTS: Array<[specimen: 'BLOOD' | 'URINE', code: string, display: string, unit: string | null, range: string | null, mean: number, sd: number, decimals: number]> = [
  ['BLOOD', '718-7', 'Hemoglobin [Moles/volume] in Blood', 'mmol/L', '7.5-10.0', 8.6, 0.9, 1],
  ['BLOOD', '2345-7', 'Glucose [Moles/volume] in Serum or Plasma', 'mmol/L', '4.0-7.8', 6.1, 1.8, 1],
  ['BLOOD', '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', 'mmol/mol', '20-42', 44, 12, 0],
  ['BLOOD', '14682-9', 'Creatinine [Moles/volume] in Serum or Plasma', 'umol/L', '60-110', 88, 25, 0],
  ['BLOOD', '62238-1', 'Glomerular filtration rate/1.73 sq M.predicted (CKD-EPI)', 'mL/min/1.73m2', '>60', 78, 20, 0],
  ['BLOOD', '2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', '135-145', 139, 3, 0],
  ['BLOOD', '2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', '3.5-5.0', 4.2, 0.4, 1],
  ['BLOOD', '1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma', 'mg/L', '<10', 12, 18, 0],
  ['BLOOD', '6690-2', 'Leukocytes [#/volume] in Blood', '10*9/L', '4.0-10.0', 7.4, 2.2, 1],
  ['BLOOD', '777-3', 'Platelets [#/volume] in Blood', '10*9/L', '150-400', 260, 60, 0],
  ['BLOOD', '1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', '<45', 28, 15, 0],
  ['BLOOD', '1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', '<35', 26, 12, 0],
  ['BLOOD', '2093-3', 'Cholesterol [Moles/volume] in Serum or Plasma', 'mmol/L', '<5.0', 5.1, 1.0, 1],
  ['BLOOD', '2571-8', 'Triglyceride [Moles/volume] in Serum or Plasma', 'mmol/L', '<1.7', 1.5, 0.7, 1],
  ['BLOOD', '3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma', 'mU/L', '0.4-4.0', 1.9, 1.1, 2],
  ['BLOOD', '2276-4', 'Ferritin [Mass/volume] in Serum or Plasma', 'ug/L', '15-150', 95, 60, 0],
  ['BLOOD', '33762-6', 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma', 'ng/L', '<300', 420, 500, 0],
  ['BLOOD', '6301-6', 'INR in Platelet poor plasma by Coagulation assay', null, '0.8-1.2', 1.6, 0.8, 1],
  ['URINE', '5811-5', 'Specific gravity of Urine by Test strip', null, '1.005-1.030', 1.017, 0.007, 3],
  ['URINE', '2888-6', 'Protein [Mass/volume] in Urine', 'g/L', '<0.15', 0.12, 0.15, 2],
  ['URINE', '14959-1', 'Microalbumin/Creatinine [Mass Ratio] in Urine', 'mg/mmol', '<3.0', 2.4, 3.0, 1],
  ['URINE', '5803-2', 'pH of Urine by Test strip', null, '4.5-8.0', 6.0, 0.8, 1],
  ['URINE', '2161-8', 'Creatinine [Moles/volume] in Urine', 'mmol/L', '3-20', 9.5, 4.5, 1],
];

export const DIAGNOSES: Array<[code: string, display: string]> = [
  ['E11.9', 'Type 2 diabetes mellitus without complications'], ['I10', 'Essential (primary) hypertension'],
  ['J44.9', 'Chronic obstructive pulmonary disease, unspecified'], ['J45.9', 'Asthma, unspecified'],
  ['I48.9', 'Atrial fibrillation, unspecified'], ['I50.9', 'Heart failure, unspecified'], ['I25.1', 'Atherosclerotic heart disease'],
  ['N18.3', 'Chronic kidney disease, stage 3'], ['E78.0', 'Pure hypercholesterolaemia'], ['M17.1', 'Other primary gonarthrosis'],
  ['M54.5', 'Low back pain'], ['K21.9', 'Gastro-oesophageal reflux disease without oesophagitis'], ['F32.1', 'Moderate depressive episode'],
  ['G43.9', 'Migraine, unspecified'], ['J18.9', 'Pneumonia, unspecified'], ['N39.0', 'Urinary tract infection, site not specified'],
  ['C50.9', 'Malignant neoplasm of breast, unspecified'], ['C61', 'Malignant neoplasm of prostate'], ['C34.9', 'Malignant neoplasm of bronchus or lung'],
  ['S72.0', 'Fracture of neck of femur'], ['S52.5', 'Fracture of lower end of radius'], ['K35.8', 'Acute appendicitis, other and unspecified'],
  ['E03.9', 'Hypothyroidism, unspecified'], ['D50.9', 'Iron deficiency anaemia, unspecified'], ['M06.9', 'Rheumatoid arthritis, unspecified'],
  ['M10.9', 'Gout, unspecified'], ['G20', 'Parkinson disease'], ['G30.9', 'Alzheimer disease, unspecified'], ['I63.9', 'Cerebral infarction, unspecified'],
  ['L40.0', 'Psoriasis vulgaris'], ['K57.3', 'Diverticular disease of large intestine without perforation or abscess'],
  ['O80', 'Single spontaneous delivery'], ['H25.9', 'Senile cataract, unspecified'], ['E66.9', 'Obesity, unspecified'],
];

export const ALLERGIES: Array<[substance: string, reaction: string, severity: string]> = [
  ['Penicillin', 'Urticaria', 'high'], ['Amoxicillin', 'Maculopapular rash', 'moderate'], ['Sulfonamides', 'Rash and fever', 'moderate'],
  ['Ibuprofen', 'Bronchospasm', 'high'], ['Iodinated contrast media', 'Flushing and pruritus', 'moderate'], ['Codeine', 'Nausea and vomiting', 'low'],
  ['Natural rubber latex', 'Contact dermatitis', 'low'], ['Peanut', 'Generalised urticaria', 'severe'], ['House dust mite', 'Rhinitis', 'low'],
  ['Wasp venom', 'Anaphylaxis', 'severe'],
];

export const MEDICATIONS: Array<[name: string, dose: string]> = [
  ['Metformin', '500 mg 2dd'], ['Metformin', '1000 mg 2dd'], ['Lisinopril', '10 mg 1dd'], ['Amlodipine', '5 mg 1dd'],
  ['Simvastatin', '40 mg 1dd a.n.'], ['Atorvastatin', '20 mg 1dd'], ['Acetylsalicylic acid', '80 mg 1dd'], ['Apixaban', '5 mg 2dd'],
  ['Metoprolol succinate', '50 mg 1dd'], ['Furosemide', '40 mg 1dd'], ['Omeprazole', '20 mg 1dd'], ['Pantoprazole', '40 mg 1dd'],
  ['Paracetamol', '1000 mg 3dd as needed'], ['Naproxen', '250 mg 3dd as needed'], ['Levothyroxine', '75 microgram 1dd'],
  ['Salbutamol inhaler', '2 puffs as needed'], ['Fluticasone/salmeterol inhaler', '1 puff 2dd'], ['Tiotropium', '18 microgram 1dd'],
  ['Insulin glargine', '20 units a.n.'], ['Prednisolone', '30 mg 1dd for 5 days'], ['Amoxicillin/clavulanic acid', '500/125 mg 3dd for 7 days'],
  ['Nitrofurantoin', '100 mg 2dd for 5 days'], ['Sertraline', '50 mg 1dd'], ['Oxazepam', '10 mg as needed'], ['Methotrexate', '15 mg once weekly'],
  ['Folic acid', '5 mg once weekly'], ['Allopurinol', '100 mg 1dd'], ['Levodopa/carbidopa', '100/25 mg 3dd'], ['Tamsulosin', '0.4 mg 1dd'],
  ['Ferrous fumarate', '200 mg 1dd'],
];

export const ECG_RHYTHMS = [
  'Sinus rhythm, 72/min', 'Sinus rhythm, 64/min', 'Sinus bradycardia, 52/min', 'Sinus tachycardia, 108/min',
  'Atrial fibrillation, 96/min', 'Atrial flutter with 2:1 block, 150/min', 'Sinus rhythm with first-degree AV block, 68/min',
];
export const ECG_INTERPRETATIONS = [
  'Normal ECG; no ST-segment or T-wave abnormalities.', 'Left axis deviation; otherwise normal.',
  'Right bundle branch block; no signs of ischaemia.', 'Left ventricular hypertrophy by voltage criteria with secondary repolarisation changes.',
  'Pathological Q waves in II, III and aVF, consistent with an old inferior infarction.', 'Non-specific T-wave flattening in V5-V6.',
  'Irregular rhythm without discernible P waves; rate control advised.', 'QTc 470 ms, borderline prolonged; review QT-prolonging medication.',
];

export const IMAGING: Array<[modality: string, bodySite: string, conclusion: string]> = [
  ['X-ray', 'Chest', 'No consolidation, no pleural effusion; heart size within normal limits.'],
  ['X-ray', 'Chest', 'Consolidation in the right lower lobe consistent with pneumonia.'],
  ['X-ray', 'Knee, right', 'Medial joint space narrowing and osteophytes: moderate osteoarthritis.'],
  ['X-ray', 'Wrist, left', 'Non-displaced fracture of the distal radius.'],
  ['X-ray', 'Hip, left', 'Displaced subcapital fracture of the femoral neck.'],
  ['CT', 'Abdomen', 'Thickened appendix with periappendiceal fat stranding: acute appendicitis.'],
  ['CT', 'Brain', 'No intracranial haemorrhage; old lacunar infarct in the left basal ganglia.'],
  ['CT', 'Thorax', 'Spiculated nodule of 18 mm in the right upper lobe; further work-up advised.'],
  ['MRI', 'Lumbar spine', 'Disc protrusion L4-L5 with contact with the L5 nerve root on the left.'],
  ['MRI', 'Knee, left', 'Tear of the posterior horn of the medial meniscus.'],
  ['Ultrasound', 'Abdomen', 'Gallbladder with multiple stones, no signs of cholecystitis.'],
  ['Ultrasound', 'Thyroid', 'Multinodular goitre without suspicious features.'],
  ['Mammography', 'Breast, bilateral', 'BI-RADS 2: benign findings.'],
  ['DEXA', 'Lumbar spine and hip', 'T-score -2.7 at the femoral neck: osteoporosis.'],
];

/** Document types with their share of all documents and a title stem. */
export const DOCUMENT_TYPES: Array<[type: string, share: number, title: string]> = [
  ['GP_LETTER', 0.16, 'Brief aan huisarts'], ['DISCHARGE_LETTER', 0.09, 'Ontslagbrief'],
  ['TREATMENT_SUMMARY', 0.08, 'Behandelsamenvatting'], ['ADMISSION_SUMMARY', 0.06, 'Opnamesamenvatting'],
  ['DISCHARGE_SUMMARY', 0.09, 'Ontslagsamenvatting'], ['CONSULT_REPORT', 0.2, 'Consultverslag'],
  ['TREATMENT_PLAN', 0.08, 'Behandelplan'], ['OPERATION_REPORT', 0.06, 'Operatieverslag'],
  ['ANAESTHESIA_REPORT', 0.04, 'Anesthesieverslag'], ['PATHOLOGY_REPORT', 0.05, 'Pathologieverslag'],
  ['FIRST_AID_REPORT', 0.06, 'SEH-verslag'], ['PATIENT_STATEMENT', 0.02, 'Verklaring van de patiënt'],
  ['SECOND_OPINION', 0.01, 'Second opinion'],
];

export const DOCUMENT_OPENINGS = [
  'Patient was seen at the outpatient clinic for follow-up of known complaints.',
  'Referred by the general practitioner because of progressive symptoms over the past weeks.',
  'Presented at the emergency department after a fall at home.',
  'Elective admission for the planned procedure; pre-operative screening was unremarkable.',
  'Seen in consultation at the request of the treating specialist.',
  'Telephone consultation to discuss the results of recent investigations.',
];
export const DOCUMENT_FINDINGS = [
  'Physical examination showed no abnormalities apart from mild peripheral oedema.',
  'Vital signs were stable; auscultation of heart and lungs was normal.',
  'Investigations confirmed the working diagnosis; no complications were found.',
  'The procedure was uneventful and blood loss was minimal.',
  'Laboratory results were largely within reference ranges; see the results section.',
  'Imaging showed the expected post-operative appearance.',
];
export const DOCUMENT_PLANS = [
  'Plan: continue the current treatment and review in three months.',
  'Plan: medication adjusted as discussed; repeat blood tests in six weeks.',
  'Plan: discharged home with written instructions; follow-up at the outpatient clinic in two weeks.',
  'Plan: referral to physiotherapy and a dietitian; the general practitioner will monitor progress.',
  'Plan: multidisciplinary discussion next week; the patient will be informed by telephone.',
];
export const THIRD_PARTY_SECTIONS = [
  'The patient\'s brother was recently diagnosed with the same hereditary condition and is being treated elsewhere.',
  'According to the partner, who asked not to be named in the record, there are concerns about alcohol use at home.',
  'The mother reportedly had a similar episode at a young age and was treated for depression.',
];

export const FAMILY_HISTORY: Array<[relationship: string, condition: string]> = [
  ['father', 'Myocardial infarction at age 54'], ['mother', 'Type 2 diabetes mellitus'], ['mother', 'Breast cancer at age 48'],
  ['brother', 'Colorectal cancer at age 51'], ['sister', 'Hypertrophic cardiomyopathy'], ['maternal grandmother', 'Alzheimer disease'],
  ['paternal grandfather', 'Stroke'], ['father', 'Abdominal aortic aneurysm'],
];

export const ABO_RH: Array<[group: string, share: number]> = [
  ['O Rh(D) positive', 0.39], ['A Rh(D) positive', 0.35], ['B Rh(D) positive', 0.07], ['AB Rh(D) positive', 0.03],
  ['O Rh(D) negative', 0.07], ['A Rh(D) negative', 0.06], ['B Rh(D) negative', 0.02], ['AB Rh(D) negative', 0.01],
];

/** Insurers: id, name, policy-number prefix, share of patients. */
export const INSURERS: Array<[id: string, name: string, prefix: string, share: number]> = [
  ['INS-ALPHA', 'Alpha Zorgverzekeraar', 'ALP', 0.34], ['INS-BETA', 'Beta Zorgverzekeraar', 'BET', 0.26],
  ['INS-GAMMA', 'Gamma Zorg', 'GAM', 0.18], ['INS-DELTA', 'Delta Verzekeringen', 'DEL', 0.14], ['INS-EPSILON', 'Epsilon Zorgverzekeraar', 'EPS', 0.08],
];

/** Sharing consents: channel and the share of patients with a decision on it. */
export const CONSENT_CHANNELS: Array<[channel: string, share: number]> = [
  ['GP_VIEW', 0.62], ['LSP', 0.55], ['ZORGPLATFORM', 0.35], ['XDS', 0.25], ['OTHER_EXCHANGE', 0.1], ['RESEARCH', 0.18], ['PHOTOGRAPHY', 0.04],
];
/** Objections: kind and the share of patients who lodged one. */
export const OBJECTION_KINDS: Array<[kind: string, share: number]> = [
  ['GP_PORTAL_BLOCK', 0.015], ['TRIX', 0.008], ['CANCER_REGISTRY', 0.025], ['RESEARCH', 0.015], ['TRAINEES', 0.03],
];

export const RELATIONSHIPS = ['partner', 'mother', 'father', 'daughter', 'son', 'sister', 'brother', 'neighbour', 'friend'];
export const CLIENTS = ['HiX 6.3 (LUMC EPD)', 'MijnLUMC patient portal', 'Huisartsenportaal', 'ZorgDomein', 'VECOZO declaration service'];
